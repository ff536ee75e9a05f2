"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RegistryClient = void 0;
const node_fetch_1 = __importDefault(require("node-fetch"));
const constants_1 = require("./constants");
class RegistryClient {
    constructor(baseUrl = process.env.NPM_REGISTRY || constants_1.DEFAULT_REGISTRY) {
        this.baseUrl = baseUrl.replace(/\/$/, "");
    }
    async packument(name) {
        const res = await (0, node_fetch_1.default)(`${this.baseUrl}/${name.replace("/", "%2f")}`, {
            headers: { accept: "application/vnd.npm.install-v1+json", "user-agent": constants_1.USER_AGENT },
        });
        if (!res.ok) {
            throw new Error(`registry returned ${res.status} for ${name}`);
        }
        return res.json();
    }
    async latest(name) {
        const doc = await this.packument(name);
        return doc["dist-tags"]?.latest;
    }
}
exports.RegistryClient = RegistryClient;
exports.default = RegistryClient;
//# sourceMappingURL=registry.js.map
