// The chat page's client: posts messages with fetch and long-polls for new ones, sending the
// XSRF token that the server set in the `_xsrf` cookie (and in the form's hidden field).

const form = document.getElementById('messageform');
const input = document.getElementById('message');
const inbox = document.getElementById('inbox');

function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : form.elements._xsrf.value;
}

function postForm(url, fields) {
  return fetch(url, {
    method: 'POST',
    headers: { 'X-XSRFToken': xsrfToken() },
    body: new URLSearchParams(fields),
  }).then((response) => {
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.json();
  });
}

function showMessage(message) {
  // A message we posted may come back through the long poll too.
  if (document.getElementById(`m${message.id}`)) return;
  const holder = document.createElement('div');
  holder.innerHTML = message.html;
  const node = holder.firstElementChild;
  if (node) inbox.append(node);
}

const updater = {
  errorSleepTime: 0.5,
  cursor: null,

  poll() {
    const fields = this.cursor ? { cursor: this.cursor } : {};
    postForm('/a/message/updates', fields).then(
      (response) => {
        this.errorSleepTime = 0.5;
        this.newMessages(response.messages);
        window.setTimeout(() => this.poll(), 0);
      },
      () => {
        // Back off while the server is away, up to a minute between tries.
        this.errorSleepTime = Math.min(this.errorSleepTime * 2, 60);
        window.setTimeout(() => this.poll(), this.errorSleepTime * 1000);
      },
    );
  },

  newMessages(messages) {
    if (messages.length === 0) return;
    this.cursor = messages[messages.length - 1].id;
    for (const message of messages) showMessage(message);
  },
};

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const body = input.value;
  if (body === '') return;
  input.disabled = true;
  postForm('/a/message/new', { body })
    .then((message) => {
      showMessage(message);
      input.value = '';
    })
    .catch((error) => console.error(error))
    .finally(() => {
      input.disabled = false;
      input.select();
    });
});

input.select();
const last = inbox.lastElementChild;
if (last) updater.cursor = last.id.slice(1);
updater.poll();
