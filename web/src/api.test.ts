import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, csrf, setCsrf, subscribe } from './api'

type Call = { url: string; init: RequestInit }

function answer(status: number, body?: unknown, type = 'application/json') {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? {} : { 'content-type': type },
  })
}

describe('api', () => {
  let calls: Call[]
  let next: Response[]
  const events: string[] = []
  let unsubscribe: () => void

  beforeEach(() => {
    calls = []
    next = []
    events.length = 0
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return next.shift() ?? answer(500)
    })
    unsubscribe = subscribe({
      activity: () => events.push('activity'),
      ended: (p) => events.push(`ended:${p.rule}`),
      restricted: () => events.push('restricted'),
    })
    setCsrf('tok-1')
  })
  afterEach(() => {
    unsubscribe()
    vi.unstubAllGlobals()
  })

  it('sends the CSRF token and JSON on mutating requests only', async () => {
    next.push(answer(201, { id: 1 }), answer(200, { items: [] }), answer(204))
    expect(await api.post('/api/people', { name: 'x' })).toEqual({ id: 1 })
    await api.get('/api/people')
    await api.delete('/api/session')
    const h = (i: number) => calls[i].init.headers as Record<string, string>
    expect(h(0)['X-CSRF-Token']).toBe('tok-1')
    expect(h(0)['Content-Type']).toBe('application/json')
    expect(calls[0].init.body).toBe('{"name":"x"}')
    expect(h(1)['X-CSRF-Token']).toBeUndefined()
    expect(h(2)['X-CSRF-Token']).toBe('tok-1')
    expect(calls[2].init.body).toBeUndefined()
    expect(events).toEqual(['activity', 'activity', 'activity'])
  })

  it('uploads a file’s bytes as they are, with their type and the CSRF token', async () => {
    next.push(answer(200, { imported: 2 }))
    const csv = new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), '管理番号\nPC-001\n'])
    expect(await api.upload('/api/registers/devices/import', csv, 'text/csv')).toEqual({ imported: 2 })
    const h = calls[0].init.headers as Record<string, string>
    expect(calls[0].init.method).toBe('POST')
    expect(h['Content-Type']).toBe('text/csv')
    expect(h['X-CSRF-Token']).toBe('tok-1')
    expect(calls[0].init.body).toBe(csv)
  })

  it('turns problems into ApiError with the field errors', async () => {
    const problem = { type: 'about:blank', title: 'Invalid input', status: 422, errors: [{ field: 'name_kana', message: 'must be kana', message_ja: 'カタカナ' }] }
    next.push(answer(422, problem, 'application/problem+json'))
    const e = (await api.post('/api/people', {}).catch((x: unknown) => x)) as ApiError
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(422)
    expect(e.problem.errors?.[0].field).toBe('name_kana')
    expect(events).toEqual(['activity']) // the server saw the session
  })

  it('ends the session on a 401, and forgets the token', async () => {
    next.push(answer(401, { status: 401, rule: 'idle_timeout', detail_ja: '一定時間操作がなかったため、ログアウトしました' }, 'application/problem+json'))
    const e = (await api.get('/api/session').catch((x: unknown) => x)) as ApiError
    expect(e.rule).toBe('idle_timeout')
    expect(events).toEqual(['ended:idle_timeout'])
    expect(csrf()).toBeNull()
  })

  it('does not treat a failed sign-in as the end of a session', async () => {
    next.push(answer(401, { status: 401, rule: 'mfa_required' }, 'application/problem+json'))
    const e = (await api.post('/api/session', { login: 'a', password: 'b' }, { signIn: true }).catch((x: unknown) => x)) as ApiError
    expect(e.rule).toBe('mfa_required')
    expect(events).toEqual([])
    expect(csrf()).toBe('tok-1')
  })

  it('reports a restricted session', async () => {
    next.push(answer(403, { status: 403, rule: 'restricted' }, 'application/problem+json'))
    await api.get('/api/people').catch(() => undefined)
    expect(events).toEqual(['activity', 'restricted'])
  })

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    const e = (await api.get('/api/session').catch((x: unknown) => x)) as ApiError
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(0)
    expect(events).toEqual([])
  })
})
