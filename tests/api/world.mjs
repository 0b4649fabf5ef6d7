// A running server with its first administrator (the officer, security_officer) signed in and one
// signed-in account per member of the cast: world(['employee', 'ceo']) gives w.who.employee and
// w.who.ceo (the role is the key), world({ handler: ['mynumber_handler'] }) names keys and roles.
// Options: start (the clock's first instant), env (more for the server), policy ([[section, key,
// value], ...] written into policy.ini before the server starts).
import assert from 'node:assert/strict'
import { startServer } from '../lib/mamori.mjs'
import { Client, firstLogin, setPolicy, setup, totp } from './client.mjs'

export async function world(cast, { start, env = {}, policy = [] } = {}) {
  const { dir, admin, clock } = setup()
  if (start) { clock.ms = Date.parse(start); clock.write() }
  for (const [section, key, value] of policy) setPolicy(dir, section, key, value)
  const w = { dir, clock, who: {} }
  const serverEnv = { ...clock.env, ...env }
  w.server = await startServer(dir, { env: serverEnv })
  const officer = new Client(w.server.url)
  const o = await firstLogin(officer, admin.login, admin.password, clock)
  const me = (await officer.get('/api/session')).body.account
  w.who.officer = { c: officer, login: admin.login, id: me.id, person: me.person_id, ...o }
  const members = Array.isArray(cast) ? cast.map((r) => [r, [r]]) : Object.entries(cast)
  let n = 0
  for (const [key, roles] of members) {
    n++
    const employee_no = `E${String(n).padStart(4, '0')}`
    const p = await officer.post('/api/people', { employee_no, name: `社員 ${key}`, name_kana: 'シャイン', employment_type: 'regular' })
    assert.equal(p.status, 201, p.text)
    const login = `u${n}${key.replace(/_/g, '')}`
    const a = await officer.post('/api/accounts', { person_id: p.body.id, login, roles })
    assert.equal(a.status, 201, a.text)
    const c = new Client(w.server.url)
    const f = await firstLogin(c, login, a.body.password, clock)
    w.who[key] = { c, login, id: a.body.id, person: p.body.id, employee_no, ...f }
  }
  // A fresh session (after the clock moved past the idle timeout), with a fresh TOTP step.
  w.relogin = async (...keys) => {
    for (const key of keys.length ? keys : Object.keys(w.who)) {
      const a = w.who[key]
      clock.advance(30)
      a.c = new Client(w.server.url)
      const r = await a.c.login(a.login, a.password, a.secret ? totp(a.secret, clock) : undefined)
      assert.equal(r.status, 201, `${a.login} signs in again: ${r.text}`)
    }
  }
  w.restart = async () => {
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    w.server = await startServer(dir, { env: serverEnv })
    await w.relogin()
  }
  w.setClock = (text) => { clock.ms = Date.parse(text); clock.write() }
  w.stop = async () => assert.equal(await w.server.stop(), 0, w.server.stderr)
  return w
}
