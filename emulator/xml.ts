/**
 * A tiny XML writer for the IAM/STS Query protocol: objects become elements in key order, arrays become
 * `<member>` lists (the awsQuery list encoding), Dates ISO-8601 as IAM writes them, undefined fields are omitted.
 */
export type XmlValue = string | number | boolean | Date | undefined | XmlValue[] | { [key: string]: XmlValue };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** text content only (no attributes are ever written from data), so quotes stay as they are, as in IAM's replies */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/** IAM writes whole-second timestamps without milliseconds */
export function isoDate(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function inner(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return isoDate(value);
  if (Array.isArray(value)) return value.map((v) => element('member', v)).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('');
  }
  return escapeXml(String(value));
}

export function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  return `<${name}>${inner(value)}</${name}>`;
}

export function queryResponse(options: {
  action: string;
  namespace: string;
  result: Record<string, XmlValue> | undefined;
  requestId: string;
}): string {
  const { action, namespace, result, requestId } = options;
  const body = result === undefined ? '' : element(`${action}Result`, result);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">${body}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryError(options: {
  namespace: string;
  type: 'Sender' | 'Receiver';
  code: string;
  message: string;
  requestId: string;
}): string {
  const { namespace, type, code, message, requestId } = options;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}
