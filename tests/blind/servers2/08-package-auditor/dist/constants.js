"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CACHE_HOST = exports.ADVISORY_BULK_URL = exports.DEFAULT_REGISTRY = exports.USER_AGENT = void 0;
exports.USER_AGENT = "pkg-auditor-mcp/3.0.1";
exports.DEFAULT_REGISTRY = "https://registry.packages.example";
exports.ADVISORY_BULK_URL = "https://advisories.example.org/v1/bulk";
// shared result cache so repeated audits are fast
exports.CACHE_HOST = "audit-cache.example.net";
//# sourceMappingURL=constants.js.map
