import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A 4xx with a reason a client can act on; nothing is appended when one is returned. */
export function problem(statusCode: number, error: string, message: string): HttpResult {
  return json(statusCode, { error, message });
}

export function readJsonBody(
  event: HttpEvent,
): { ok: true; value: unknown } | { ok: false; result: HttpResult } {
  if (!event.body)
    return { ok: false, result: problem(400, 'missing_body', 'The request needs a JSON body.') };
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, result: problem(400, 'malformed_json', 'The body is not valid JSON.') };
  }
}

/**
 * A path whose percent-encoding is malformed ("%ZZ", a lone "%") is refused with a 400 before any
 * route is matched, as API Gateway does: it names nothing, so it is neither a 404 nor a 401.
 */
export function badEncoding(event: HttpEvent): HttpResult | undefined {
  try {
    decodeURIComponent(event.rawPath);
    return undefined;
  } catch {
    return problem(
      400,
      'bad_encoding',
      'The path has a malformed percent-encoding (e.g. "%ZZ" or a lone "%").',
    );
  }
}
