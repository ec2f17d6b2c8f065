// Progressive enhancement only: every page works without this file.
// Forms marked data-confirm ask before submitting (deactivations, releases).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// An error summary's link moves the focus to its field and brings the field's label (or the
// question of a group of radio buttons) into view with it, not just the box under it.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!field) {
    return;
  }
  event.preventDefault();
  (field.closest("fieldset, [id^='div_']") || field).scrollIntoView();
  field.focus({ preventScroll: true });
  history.replaceState(null, "", link.hash);
});
