// GET /api/v1/gradients: forward + BPTT for each requested cell, gradient norms per step.
import { OpenAPIHono } from '@hono/zod-openapi';
import { computeGradients } from '../core/gradients.ts';
import type { Env } from '../env.ts';
import { serveJson } from '../http.ts';
import { gradientsCost } from '../limits.ts';
import { canonicalConfig } from '../query.ts';
import { gradientsQuery, GradientsResponseSchema, type GradientsResponse } from '../schemas.ts';
import { getRoute, ignoredParameterWarnings, modelConfig, reproductionBody, weightsBody } from './common.ts';

export const GRADIENTS_PATH = '/api/v1/gradients';

const route = getRoute({
  path: '/gradients',
  operationId: 'getGradients',
  tag: 'model',
  summary: 'Gradient norms through time',
  description:
    'For each cell: the loss, log10 ‖∂L/∂h_t‖₂ (and ‖∂L/∂c_t‖₂ for lstm) and log10 ‖∂L/∂x_t‖₂ for every step t, the parameter count and diagnostics of W_hh.',
  query: gradientsQuery.query,
  response: GradientsResponseSchema,
  responseDescription: 'Gradient norms per cell.',
});

export const gradients = new OpenAPIHono<{ Bindings: Env }>().openapi(route, (c) => {
  const q = c.req.valid('query');
  const config = canonicalConfig(gradientsQuery.query, q);
  return serveJson<typeof config, GradientsResponse>(c, {
    endpoint: GRADIENTS_PATH,
    config,
    cost: gradientsCost(q),
    budget: 'BUDGET_MACS',
    compute: (numbers) => {
      const results: GradientsResponse['results'] = {};
      for (const cell of q.cells) {
        numbers.warnings.push(...ignoredParameterWarnings(cell, q));
        const r = computeGradients(modelConfig(cell, q));
        const at = `results.${cell}`;
        const loss = numbers.scalar(`${at}.loss`, r.loss);
        const log10_grad_h = numbers.series(`${at}.log10_grad_h`, r.log10GradH);
        const log10_grad_c = r.log10GradC && numbers.series(`${at}.log10_grad_c`, r.log10GradC);
        const log10_grad_x = numbers.series(`${at}.log10_grad_x`, r.log10GradX);
        const sigma_max_w_hh = numbers.scalar(`${at}.diagnostics.sigma_max_w_hh`, r.sigmaMaxWhh);
        const weights = q.include === 'weights' ? { weights: weightsBody(cell, q, numbers, `${at}.weights`) } : {};
        if (cell === 'lstm') {
          const mean_forget_gate = numbers.scalar(`${at}.diagnostics.mean_forget_gate`, r.meanForgetGate ?? Number.NaN);
          results.lstm = {
            loss,
            log10_grad_h,
            log10_grad_c: log10_grad_c ?? [],
            log10_grad_x,
            param_count: r.paramCount,
            diagnostics: { sigma_max_w_hh, mean_forget_gate },
            ...weights,
          };
        } else {
          results[cell] = {
            loss,
            log10_grad_h,
            log10_grad_x,
            param_count: r.paramCount,
            diagnostics: { sigma_max_w_hh },
            ...weights,
          };
        }
      }
      return { results, ...(q.include === 'weights' ? reproductionBody(q, numbers) : {}) };
    },
  });
});
