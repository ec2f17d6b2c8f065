// Progressive enhancement only: every page works without this file.
// Forms marked data-confirm ask before submitting (deactivations, releases).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
