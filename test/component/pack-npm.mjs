// Builds miniprogram/miniprogram_npm the way DevTools' "构建 npm" does (miniprogram-ci
// packNpmManually, offline). Run in its own process: miniprogram-ci starts background network
// calls and may leave unhandled rejections that must not reach jest's process.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// A closed loopback port: miniprogram-ci's calls home fail at once instead of hanging.
const deadProxy = 'http://127.0.0.1:9';
process.env.HTTPS_PROXY = deadProxy;
process.env.HTTP_PROXY = deadProxy;
process.env.https_proxy = deadProxy;
process.env.http_proxy = deadProxy;
process.on('unhandledRejection', () => {});

const require = createRequire(import.meta.url);
const ci = require('miniprogram-ci');
ci.proxy(deadProxy);

const t0 = Date.now();
const result = await ci.packNpmManually({
  packageJsonPath: join(root, 'package.json'),
  miniprogramNpmDistDir: join(root, 'miniprogram/'),
});
if (result.warnList?.length) console.warn(JSON.stringify(result.warnList));
// What an upload ships: TDesign's icon stylesheet cut to the icons the app can name (scripts/trim-icons.mjs).
const { trimIcons } = await import('../../scripts/trim-icons.mjs');
trimIcons(root);
console.log(`miniprogram_npm built in ${Date.now() - t0} ms`);
process.exit(0);
