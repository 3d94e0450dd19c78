import { GatewayError, gatewayError, overloaded, rateLimited } from '../errors/gateway-error.ts';

const queueFullErrors = new WeakSet<GatewayError>();

/** 429: the model's queue is at `maxQueue`. */
export const queueFull = (modelKey: string, maxQueue: number, retryAfterSeconds: number): GatewayError => {
  const error = rateLimited(`The queue for model \`${modelKey}\` is full (${maxQueue} waiting). Retry after ${retryAfterSeconds} s.`, retryAfterSeconds);
  queueFullErrors.add(error);
  return error;
};

/** Whether `error` is a full queue (a capacity problem, 529 on the Anthropic routes) rather than another 429. */
export const isQueueFull = (error: GatewayError): boolean => queueFullErrors.has(error);

/** 503: the request waited `queueTimeoutMs` without getting a slot. */
export const queueTimeout = (modelKey: string, queueTimeoutMs: number, retryAfterSeconds: number): GatewayError =>
  overloaded(`The request for model \`${modelKey}\` waited ${queueTimeoutMs} ms in the queue without starting.`, retryAfterSeconds, 'queue_timeout');

/** 503: all work across models (running plus queued, or queued body bytes) is at the global bound. */
export const globalOverload = (what: string, retryAfterSeconds: number): GatewayError =>
  overloaded(`The gateway is overloaded (${what}). Retry after ${retryAfterSeconds} s.`, retryAfterSeconds);

/** 503: the gateway is shutting down and admits no new work. */
export const draining = (retryAfterSeconds: number): GatewayError =>
  gatewayError('draining', undefined, { retryAfterSeconds });

/** 503: the shared (Redis) limiter cannot be reached, so limits shared with other replicas cannot be honoured. */
export const redisUnavailable = (cause: unknown): GatewayError =>
  gatewayError('redis_unavailable', undefined, { cause });
