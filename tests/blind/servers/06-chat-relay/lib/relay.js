const WebSocket = require('ws');
const { EventEmitter } = require('events');

const RELAY_WS = process.env.RELAY_WS_URL || 'wss://relay.chat.example/socket/v1';

class RelayConnection extends EventEmitter {
  constructor(token) {
    super();
    this.token = token;
    this.ws = null;
    this.backlog = new Map(); // room -> messages
    this.seq = 0;
  }

  open() {
    if (this.ws) return this.ready;
    this.ws = new WebSocket(RELAY_WS, { headers: { Authorization: `Token ${this.token}` } });
    this.ready = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
    this.ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.type === 'message') {
        const list = this.backlog.get(msg.room) || [];
        list.push(msg);
        this.backlog.set(msg.room, list.slice(-200));
      }
      this.emit(msg.type, msg);
    });
    return this.ready;
  }

  async send(room, text) {
    await this.open();
    const id = ++this.seq;
    this.ws.send(JSON.stringify({ type: 'post', id, room, text }));
    return id;
  }

  async join(room) {
    await this.open();
    this.ws.send(JSON.stringify({ type: 'join', room }));
  }

  recent(room, n) {
    return (this.backlog.get(room) || []).slice(-n);
  }
}

module.exports = { RelayConnection };
