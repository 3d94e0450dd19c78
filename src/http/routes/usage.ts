import type { Request, Response } from 'express';
import { invalidRequest } from '../../errors/gateway-error.ts';
import { missingScope } from '../../keys/key-errors.ts';
import { canonicalModelName } from '../../config/model-key.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { groupUsage } from '../../usage/group-usage.ts';
import { usageQuerySchema, type UsageResponse } from '../../usage/usage-response.ts';
import { utcDay } from '../../usage/usage-store.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { keyOf } from '../request-key.ts';

/**
 * `GET /v1/usage?from=&to=&key=&model=&group_by=`: requests and tokens counted per key, model and
 * UTC day. A key sees its own usage; another key's (or everyone's) needs the `admin` scope.
 */
export function usageHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const query = parseRequest(usageQuerySchema, { ...req.query });
    const caller = keyOf(res);
    const isAdmin = caller === undefined || caller.routes.has('admin');
    if (!isAdmin && query.key !== undefined && query.key !== caller.name) throw missingScope('admin', 'the usage of another key');
    const today = utcDay(services.now());
    const from = query.from ?? `${today.slice(0, 7)}-01`;
    const to = query.to ?? today;
    if (from > to) throw invalidRequest(`from (${from}) is after to (${to}).`, 'from');
    const groups = query.group_by ?? ['day'];
    const records = await services.keys.ledger.query({ fromDay: from, toDay: to, key: isAdmin ? query.key : caller.name, model: query.model === undefined ? undefined : canonicalModelName(services.catalog.dealias(query.model)) });
    const body: UsageResponse = { object: 'list', from, to, group_by: groups, data: groupUsage(records, groups) };
    res.json(body);
  };
}
