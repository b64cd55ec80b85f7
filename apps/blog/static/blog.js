// Marks the navigation link of the page being shown.
document.querySelectorAll('#nav a').forEach((link) => {
  if (link.getAttribute('href') === window.location.pathname) {
    link.setAttribute('aria-current', 'page');
  }
});
