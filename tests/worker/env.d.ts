// Types `exports` and `env` from `cloudflare:workers` with the worker's own module and bindings.
// (An interface may only extend a name, not an import() type — with skipLibCheck that mistake
// is silent — hence the alias.)
declare namespace Cloudflare {
  type WorkerEnv = import('../../worker/src/index.ts').Env;
  interface GlobalProps {
    mainModule: typeof import('../../worker/src/index.ts');
  }
  interface Env extends WorkerEnv {}
}
