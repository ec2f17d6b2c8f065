from celery import shared_task

from cccc import services


@shared_task
def ping(nonce: int) -> dict:
    """Round trip through the broker and a worker; used by the health test and operators."""
    return {"pong": nonce}


@shared_task(name="cccc.password_reset_send")
def password_reset_send(user_id: int) -> bool:
    """The password-reset email, sent after the page has answered (the id only, never the
    address: task arguments sit in the broker)."""
    return services.password_reset_email_send(user_id=user_id)
