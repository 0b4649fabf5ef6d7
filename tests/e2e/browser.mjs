// Shared by the browser tests (not a test file itself): a page that records every console error,
// page error, CSP violation, failed request and HTTP error, and a server with a movable clock and
// accounts ready to sign in.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, startServer } from '../lib/mamori.mjs'
import { Client, firstLogin, setup, STRONG2, totp } from '../api/client.mjs'

export const SHOTS = join(ROOT, 'build', 'e2e')
mkdirSync(SHOTS, { recursive: true })
export const shot = (name) => join(SHOTS, `${name}.png`)

/**
 * A fresh browser context and page that records every console error or warning, page error,
 * CSP violation, failed request and HTTP answer >= 400. check() asserts there were none, except
 * the HTTP errors the test announced with allowHttp() (a wrong code, the idle timeout) and
 * Chromium's own "Failed to load resource" console line for each of those.
 */
export async function openPage(browser, { clockAt } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  // A fake clock for the page's timers (the idle timer), installed before anything loads.
  if (clockAt !== undefined) await page.clock.install({ time: clockAt })
  const problems = []
  const httpErrors = []
  const loadFailures = []
  const allowed = []
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return
    const net = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text())
    if (net) loadFailures.push(Number(net[1]))
    else problems.push(`console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => {
    // net::ERR_ABORTED: the UI cancelled its own fetch (it left the page before the answer)
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`)
  })
  page.on('response', (r) => {
    if (r.status() >= 400) httpErrors.push({ status: r.status(), method: r.request().method(), path: new URL(r.url()).pathname })
  })
  // Init scripts run through DevTools, outside the page's CSP.
  await page.exposeFunction('__mamoriCspViolation', (v) => problems.push(`CSP violation: ${v}`))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__mamoriCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
    )
  })
  return {
    page,
    context,
    /** The next answer `status` to `method path` is expected (e.g. 401 when a code is needed). */
    allowHttp(status, method, path) {
      allowed.push({ status, method, path })
    },
    check() {
      const unexpected = []
      const pool = [...allowed]
      for (const e of httpErrors) {
        const i = pool.findIndex((a) => a.status === e.status && a.method === e.method && a.path === e.path)
        if (i >= 0) pool.splice(i, 1)
        else unexpected.push(`HTTP ${e.status}: ${e.method} ${e.path}`)
      }
      // Chromium logs each HTTP error as a console error; those of the expected answers are fine.
      const expected = httpErrors.map((e) => e.status)
      for (const s of loadFailures) {
        const i = expected.indexOf(s)
        if (i >= 0) expected.splice(i, 1)
        else unexpected.push(`console error: Failed to load resource (${s})`)
      }
      assert.deepEqual([...problems, ...unexpected], [], 'the page reported problems')
    },
  }
}

/**
 * A data directory, its clock (MAMORI_NOW=@file) and `mamori serve`. With `ready`, the officer has
 * changed the one-time password and enrolled TOTP (through the API), and `employee` (a general
 * account, no second factor) exists with its own password.
 */
export async function startWithClock({ ready = false } = {}) {
  const { dir, admin, clock } = setup()
  const server = await startServer(dir, { env: clock.env })
  const out = { dir, clock, server, officer: { login: admin.login, password: admin.password, secret: null } }
  if (ready) {
    const c = new Client(server.url)
    const o = await firstLogin(c, admin.login, admin.password, clock)
    out.officer = { login: admin.login, password: o.password, secret: o.secret }
    let r = await c.post('/api/people', { employee_no: 'E001', name: '佐藤 花子', name_kana: 'サトウ ハナコ', employment_type: 'regular' })
    assert.equal(r.status, 201, r.text)
    r = await c.post('/api/accounts', { person_id: r.body.id, login: 'sato', roles: ['employee'] })
    assert.equal(r.status, 201, r.text)
    const e = await firstLogin(new Client(server.url), 'sato', r.body.password, clock, STRONG2)
    out.employee = { login: 'sato', password: e.password }
    await c.del('/api/session')
  }
  return out
}

/** Signs in through the page (with the TOTP at the server's clock when the account has one). */
export async function signIn(page, { login, password, secret = null }, clock, allowHttp) {
  await page.getByRole('textbox', { name: 'ログイン名' }).fill(login)
  await page.getByLabel('パスワード', { exact: true }).fill(password)
  if (secret) allowHttp(401, 'POST', '/api/session') // mfa_required: the code is asked for
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()
  if (secret) {
    const code = page.getByRole('textbox', { name: '確認コード' })
    await code.waitFor()
    clock.advance(30) // a step not used before (codes are single-use)
    await code.fill(totp(secret, clock))
    await page.getByRole('button', { name: 'ログイン', exact: true }).click()
  }
}

export { Client, totp }
