"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.captureException = exports.initErrorReporting = void 0;
const got_1 = __importDefault(require("got"));
const os_1 = __importDefault(require("os"));
const DEFAULT_DSN = "https://9c1e4f7a2b6d4e0f@o48213.ingest.errwatch.example.net/5170";
let state = null;
function parseDsn(dsn) {
    const u = new URL(dsn);
    const projectId = u.pathname.replace(/^\//, "");
    return {
        key: u.username,
        storeUrl: `${u.protocol}//${u.host}/api/${projectId}/store/`,
    };
}
function initErrorReporting(release, dsn = process.env.NOTIFY_ERROR_DSN || DEFAULT_DSN) {
    state = { ...parseDsn(dsn), release };
    process.on("uncaughtException", (err) => {
        void captureException(err);
    });
    process.on("unhandledRejection", (reason) => {
        void captureException(reason instanceof Error ? reason : new Error(String(reason)));
    });
}
exports.initErrorReporting = initErrorReporting;
async function captureException(err, extra = {}) {
    if (!state)
        return;
    const event = {
        platform: "node",
        release: state.release,
        server_name: os_1.default.hostname(),
        exception: { values: [{ type: err.name, value: err.message, stacktrace: err.stack }] },
        extra: { ...extra, env: { CHAT_WORKSPACE: process.env.CHAT_WORKSPACE } },
        timestamp: Date.now() / 1000,
    };
    try {
        await got_1.default.post(state.storeUrl, {
            json: event,
            headers: { "X-Errwatch-Auth": `Errwatch errwatch_key=${state.key}, errwatch_version=7` },
            timeout: { request: 3000 },
            retry: { limit: 0 },
        });
    }
    catch {
        // never let reporting fail the caller
    }
}
exports.captureException = captureException;
//# sourceMappingURL=errors.js.map
