// Web routes answer people, not platforms: a refusal is a Chinese page with its status, and an
// unexpected failure is logged and shown as a short apology, never a stack trace.
import type { Context } from 'hono';
import type { Logger } from '../../log.js';
import { WebRefusal } from './form-post.js';
import { MessagePage } from './pages/layout.js';

export function refusalPage(c: Context, r: WebRefusal): Response | Promise<Response> {
  return c.html(<MessagePage title={r.title} detail={r.detail} />, r.status);
}

/** The error handler of the web routes (a sub-app of their own, so platform webhooks keep theirs). */
export function webErrors(log: Logger) {
  return (err: Error, c: Context): Response | Promise<Response> => {
    if (err instanceof WebRefusal) {
      // The route, not the path: a link's path is its credential.
      log.info('web request refused', { route: c.req.routePath, status: err.status, reason: err.title });
      return refusalPage(c, err);
    }
    log.error('web request failed', { route: c.req.routePath, error: err });
    return c.html(<MessagePage title="出了点问题" detail="处理时出现问题，已记录，请稍后再试。" />, 500);
  };
}
