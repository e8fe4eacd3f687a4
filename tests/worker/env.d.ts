// Types `exports` and `env` from `cloudflare:workers` with the worker's own module and bindings.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../../worker/src/index.ts');
  }
  interface Env extends import('../../worker/src/index.ts').Env {}
}
