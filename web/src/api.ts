/**
 * The web app's only door to the server. It sends the session's CSRF token on every change and
 * turns RFC 9457 problems into errors whose message is the server's plain-language detail.
 */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/**
 * Uploads a file with progress (fetch cannot report upload progress), answering like `api`.
 */
export function upload<T>(path: string, file: File, contentType: string, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('content-type', contentType);
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('accept-language', language);
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, 'The upload did not reach the server. Check the connection and try again.', {}));
    request.onload = () => {
      const parsed = request.responseText ? (JSON.parse(request.responseText) as Record<string, unknown>) : {};
      if (request.status >= 200 && request.status < 300) resolve(parsed as T);
      else if (request.status === 400 && 'errors' in parsed && 'rows' in parsed) resolve(parsed as T);
      else reject(new ApiError(request.status, String(parsed.detail ?? request.statusText), parsed));
    };
    request.send(file);
  });
}

/** The language the person reads the app in: the server answers its messages in it where it can. */
let language = 'en';
export function setApiLanguage(code: string) {
  language = code;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) throw new ApiError(response.status, String(parsed.detail ?? response.statusText), parsed);
  return parsed as T;
}

/** Who is signed in, where, and what they may do (GET /api/v1/me): the server's own type. */
export type { Me } from '../../src/features/accounts/accounts.schema';
