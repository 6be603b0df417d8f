import { startBot } from './app.ts';
import { formatBanner } from './banner.ts';
import { ConfigError, loadDotEnv, readConfig } from './config.ts';
import { createLogger } from './logger.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  const log = createLogger(config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  const bot = await startBot({ config, log });
  process.stdout.write(formatBanner(config, bot.url));
  log.info({ port: bot.port, mode: config.mode }, 'bot started');
  const stop = (signal: string): void => {
    log.info({ signal }, 'stopping: finishing in-flight work');
    bot.stop().then(
      () => {
        log.info({ signal }, 'stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee .env.sample for every setting.\n`);
  } else {
    process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
