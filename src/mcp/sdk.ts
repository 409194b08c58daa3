// The one door to the Model Context Protocol SDK and zod: everything the mcp command uses of them comes through
// here, so that the bundle can put them in a file of their own (dist/mcp-sdk.cjs, 0.7 MB: zod is most of it), read
// only when `flux-deps mcp` runs. Every other command's start-up never sees them (scripts/build.ts).
export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { z } from 'zod';
