import { loadConfig, type RelanceConfig } from '../config';
import { createResources, type PipelineResources } from '../pipeline/resources';

/** What every command needs from its process: configuration, resources and an output. */
export interface CliEnv {
  /** The validated configuration (read once). */
  config(): RelanceConfig;
  /**
   * Opens the database and the rest; the caller closes them. `longLived` marks a command that runs
   * until stopped (it prefers to hold a shared embedded database, see `src/db/shared-embedded`).
   */
  openResources(options?: { longLived?: boolean }): Promise<PipelineResources>;
  /** Writes one line for the person (stdout). */
  print(line: string): void;
  /** Where worker threads find the resources factory, for `cpu: true` tasks on Postgres. */
  cpuThreads?: { resourcesModule: string; resourcesExport?: string };
}

/** The environment of the real `relance` process. */
export function processCliEnv(): CliEnv {
  let config: RelanceConfig | undefined;
  const env: CliEnv = {
    config: () => (config ??= loadConfig()),
    openResources: (options) => createResources(env.config(), { applicationName: 'relance-cli', longLived: options?.longLived }),
    print: (line) => process.stdout.write(line + '\n'),
    // `cpu: true` tasks (training, scoring) run in worker threads that build the same resources.
    cpuThreads: { resourcesModule: require.resolve('../pipeline/resources'), resourcesExport: 'createResources' },
  };
  return env;
}

/** Runs `fn` with freshly opened resources and always closes them. */
export async function withResources<T>(env: CliEnv, fn: (resources: PipelineResources) => Promise<T>): Promise<T> {
  const resources = await env.openResources();
  try {
    return await fn(resources);
  } finally {
    await resources.close();
  }
}
