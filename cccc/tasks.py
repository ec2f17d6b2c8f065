from celery import shared_task


@shared_task
def ping(nonce: int) -> dict:
    """Round trip through the broker and a worker; used by the health test and operators."""
    return {"pong": nonce}
