/**
 * The local cloud's CLI (npm start): `node local-cloud/dist/main.js [--port N] [--data DIR]
 * [--functions DIR] [--env ID] [--pool N] [--no-timers] [--no-seed] [--quiet]`.
 * The first start in a data folder seeds the demo data (demo/fixture.ts) with windows relative to
 * that moment, and creates the functions' environment (a random WCP_ID_SECRET, the demo admin).
 * Port: --port, else LOCAL_CLOUD_PORT, else 3720. Data: --data, else LOCAL_CLOUD_DATA, else
 * <repo>/.local-cloud/data. Ctrl-C or SIGTERM stops it cleanly (the engine is closed).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { seedDemo } from '../../demo/seed';
import { REPO_ROOT, startLocalCloud, type LocalCloudOptions } from './index';

// the cloud functions run in UTC; so does the local cloud
process.env['TZ'] = 'UTC';

function usage(): never {
  console.error('usage: main.js [--port N] [--data DIR] [--functions DIR] [--env ID] [--pool N] [--no-timers] [--no-seed] [--quiet]');
  process.exit(2);
}

let seed = true;

/**
 * The functions' environment variables, as the cloud console would hold them: made once per data
 * folder (the user ids derive from the secret, so it must not change under existing data).
 */
function functionEnv(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'function-env.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const env = { WCP_ID_SECRET: randomBytes(24).toString('base64url'), WCP_ADMIN_OPENIDS: 'demo-admin' };
    fs.writeFileSync(file, `${JSON.stringify(env, null, 2)}\n`, { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

function parseArgs(argv: string[]): LocalCloudOptions {
  const opts: LocalCloudOptions = {
    dataDir: process.env['LOCAL_CLOUD_DATA'] ?? path.join(REPO_ROOT, '.local-cloud', 'data'),
    scheduler: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) usage();
      return v;
    };
    switch (a) {
      case '--port': {
        const n = Number(next());
        if (!Number.isInteger(n) || n < 0 || n > 65535) usage();
        opts.port = n;
        break;
      }
      case '--data':
        opts.dataDir = path.resolve(next());
        break;
      case '--functions':
        opts.functionsDir = path.resolve(next());
        break;
      case '--env':
        opts.envId = next();
        break;
      case '--pool': {
        const n = Number(next());
        if (!Number.isInteger(n) || n < 1) usage();
        opts.poolSize = n;
        break;
      }
      case '--no-timers':
        opts.scheduler = false;
        break;
      case '--no-seed':
        seed = false;
        break;
      case '--quiet':
        opts.quiet = true;
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        console.error(`unknown argument ${a ?? ''}`);
        usage();
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  opts.functionEnv = functionEnv(path.resolve(opts.dataDir));
  const cloud = await startLocalCloud(opts);
  if (seed) {
    const idSecret = opts.functionEnv['WCP_ID_SECRET'] ?? '';
    const report = await seedDemo(cloud.engine, { idSecret, now: cloud.clock.now() });
    console.log(report.seeded ? 'Seeded the demo data (windows relative to now).' : `Demo data from ${new Date(report.seededAt).toISOString()} kept.`);
  }
  const fns = cloud.runner.listFunctions();
  console.log(`Local cloud (env ${cloud.envId}) listening on ${cloud.url}`);
  console.log(`  data:      ${path.resolve(opts.dataDir)}`);
  console.log(`  functions: ${fns.length > 0 ? fns.join(', ') : '(none built yet: npm run build)'}`);
  console.log(`  timers:    ${opts.scheduler === false ? 'off' : 'on'}   control: ${cloud.url}/_control/health`);
  console.log('');
  console.log(`  Try:  curl -s ${cloud.url}/functions/api -H 'X-Local-Openid: demo-worker-li' -d '{"action":"home.get","payload":{}}'`);
  console.log('  DevTools: import this folder, Tools → Build npm, tick "不校验合法域名"; the app is in local mode');
  console.log('  (miniprogram/config/runtime.ts) and the 我的 tab switches between demo identities.');
  console.log('  Ctrl-C stops.');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      console.log('forced exit');
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the local cloud…`);
    cloud.stop().then(
      () => {
        console.log('stopped.');
        process.exit(0);
      },
      (e: unknown) => {
        console.error('stop failed:', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
