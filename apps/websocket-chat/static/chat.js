// The page's side of the chat: a websocket to /chatsocket on the same origin; the form sends
// {body} as JSON, and each message the server broadcasts (with its HTML already rendered by
// the message.html template) is appended to the inbox. Plain DOM, no libraries.
(() => {
  const form = document.getElementById('messageform');
  const input = document.getElementById('message');
  const inbox = document.getElementById('inbox');
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(`${scheme}${location.host}/chatsocket`);

  socket.onopen = () => {
    document.body.dataset.socket = 'open';
  };
  socket.onclose = () => {
    document.body.dataset.socket = 'closed';
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (document.getElementById(`m${message.id}`)) return;
    const template = document.createElement('template');
    template.innerHTML = message.html.trim();
    inbox.append(template.content);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value === '') return;
    socket.send(JSON.stringify({ body: input.value }));
    input.value = '';
    input.focus();
  });
  input.focus();
})();
