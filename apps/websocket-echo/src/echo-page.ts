/**
 * The page served at `/`: a few lines of plain JavaScript that open `/ws` on the same origin,
 * send what is typed (or a few bytes) and list what comes back, with its type.
 */

/** The HTML of the echo page (no external resources, so it works offline). */
export const ECHO_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>Tronada websocket echo</title>
<style>
  body { font-family: sans-serif; margin: 2em; }
  #log { font-family: monospace; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Websocket echo</h1>
<p id="status">connecting…</p>
<form id="form">
  <input id="message" autocomplete="off" autofocus placeholder="a message">
  <button type="submit">Send text</button>
  <button type="button" id="binary">Send 4 bytes</button>
</form>
<div id="log"></div>
<script>
  const log = (line) => {
    document.getElementById('log').textContent += line + '\\n';
  };
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const ws = new WebSocket(scheme + location.host + '/ws');
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    document.getElementById('status').textContent = 'open' + (ws.extensions ? ' (' + ws.extensions + ')' : '');
  };
  ws.onclose = (event) => {
    document.getElementById('status').textContent = 'closed (' + event.code + ')';
  };
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') log('text: ' + event.data);
    else log('binary: ' + Array.from(new Uint8Array(event.data)).join(' '));
  };
  document.getElementById('form').onsubmit = (event) => {
    event.preventDefault();
    const input = document.getElementById('message');
    ws.send(input.value);
    input.value = '';
  };
  document.getElementById('binary').onclick = () => ws.send(Uint8Array.of(1, 2, 3, 255));
</script>
</body>
</html>
`;
