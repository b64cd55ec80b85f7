import { Application } from '@tronada/web';
import { WebSocketHandler } from '@tronada/websocket';

export class EchoWebSocket extends WebSocketHandler {
  override open() {
    console.log('websocket opened');
  }

  override onMessage(message: string | Buffer) {
    return this.writeMessage(`You said: ${message}`);
  }

  override onClose() {
    console.log('websocket closed');
  }
}

export function makeApp(): Application {
  return new Application([['/websocket', EchoWebSocket]]);
}
