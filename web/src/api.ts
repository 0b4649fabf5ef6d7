// The one way the UI talks to the server: the public JSON API (src/api/openapi/openapi.json).
//
// - Every mutating request carries `X-CSRF-Token` and `Content-Type: application/json` (an upload:
//   the file's bytes with their own type).
// - The CSRF token comes only from `POST /api/session` (GET /api/session never repeats it). It is
//   kept in memory and in sessionStorage, so that a reload of the same tab keeps working. A new
//   tab, or a closed and reopened browser, has no token: the UI then shows the sign-in page (the
//   old session cookie, if still valid, is simply replaced by the new one). sessionStorage is
//   never shared between tabs or kept on disk after the tab closes, unlike localStorage.
// - Errors are application/problem+json; they become an ApiError with the problem's fields.
// - Any answer other than 401 means the server resolved the session, which notes activity (the
//   idle timer restarts). A 401 on any call but the sign-in itself means the session is over.

export type FieldError = { field: string; message: string; rule?: string; message_ja?: string }

export type Problem = {
  type?: string
  title?: string
  status: number
  detail?: string
  detail_ja?: string
  rule?: string
  errors?: FieldError[]
}

export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem
  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
  }
  get rule(): string | undefined {
    return this.problem.rule
  }
}

/** True for an ApiError of this status (and rule, when given). */
export function isApiError(e: unknown, status?: number, rule?: string): e is ApiError {
  return e instanceof ApiError && (status === undefined || e.status === status) && (rule === undefined || e.rule === rule)
}

// ---- the CSRF token ----

const CSRF_KEY = 'mamori.csrf'

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage
  } catch {
    return undefined // storage disabled: the token lives in memory only
  }
}

let csrfToken: string | null = (() => {
  try {
    return storage()?.getItem(CSRF_KEY) ?? null
  } catch {
    return null
  }
})()

export function csrf(): string | null {
  return csrfToken
}

export function setCsrf(token: string | null): void {
  csrfToken = token
  try {
    if (token) storage()?.setItem(CSRF_KEY, token)
    else storage()?.removeItem(CSRF_KEY)
  } catch {
    // kept in memory only
  }
}

// ---- listeners: activity (idle timer), end of session, restricted session ----

export type ApiListener = {
  /** The server saw this session just now (any answer but 401). */
  activity?: () => void
  /** A call answered 401: the session is over (idle_timeout, lifetime, access_ended, ended…). */
  ended?: (problem: Problem) => void
  /** A call answered 403 rule "restricted": the password or second factor must be done first. */
  restricted?: (problem: Problem) => void
}

const listeners = new Set<ApiListener>()

export function subscribe(l: ApiListener): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

// ---- requests ----

export type RequestOptions = {
  signal?: AbortSignal
  /** The sign-in call: a 401 there is a wrong password, not the end of a session. */
  signIn?: boolean
  /** The Content-Type of a body sent as it is (a Blob: a file's bytes); JSON otherwise. */
  contentType?: string
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined
  const type = res.headers.get('content-type') ?? ''
  if (!/json/.test(type)) {
    await res.text().catch(() => '')
    return undefined
  }
  try {
    return await res.json()
  } catch {
    return undefined
  }
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const raw = typeof Blob !== 'undefined' && body instanceof Blob
  if (MUTATING.has(method)) {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken
    if (method !== 'DELETE') headers['Content-Type'] = raw ? opts.contentType || (body as Blob).type || 'application/octet-stream' : 'application/json'
  }
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers,
      body: MUTATING.has(method) && method !== 'DELETE' ? (raw ? (body as Blob) : JSON.stringify(body ?? {})) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    })
  } catch (e) {
    if (opts.signal?.aborted) throw e
    throw new ApiError(0, { status: 0, title: 'Network error', rule: 'network' })
  }
  const data = await readBody(res)
  if (res.ok) {
    for (const l of listeners) l.activity?.()
    return data as T
  }
  const problem: Problem = { status: res.status, ...(typeof data === 'object' && data ? (data as Partial<Problem>) : {}) }
  problem.status = res.status
  if (res.status === 401 && !opts.signIn) {
    setCsrf(null)
    for (const l of listeners) l.ended?.(problem)
  } else if (res.status !== 401) {
    for (const l of listeners) l.activity?.()
    if (res.status === 403 && problem.rule === 'restricted') for (const l of listeners) l.restricted?.(problem)
  }
  throw new ApiError(res.status, problem)
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
  /** POST a file's bytes as they are (e.g. a CSV import with Content-Type text/csv). */
  upload: <T>(path: string, file: Blob, contentType: string, opts?: RequestOptions) => request<T>('POST', path, file, { ...opts, contentType }),
}
