// A running server with its first administrator (the officer, security_officer) signed in and one
// signed-in account per member of the cast: world(['employee', 'ceo']) gives w.who.employee and
// w.who.ceo (the role is the key), world({ handler: ['mynumber_handler'] }) names keys and roles.
// Options: start (the clock's first instant), env (more for the server), policy ([[section, key,
// value], ...] written into policy.ini before the server starts), init (more arguments of mamori
// init), names ({key: the person's name}; default 社員 KEY). A member with `left` set is not signed
// in again by relogin or at.
import assert from 'node:assert/strict'
import { dirname } from 'node:path'
import { freshDataDir, init as initData, startServer } from '../lib/mamori.mjs'
import { Client, Clock, fastArgon, firstLogin, setPolicy, totp } from './client.mjs'

export async function world(cast, { start, env = {}, policy = [], init = [], names = {} } = {}) {
  // the data directory is made at the clock's first instant (the duties calendar starts there)
  const dir = freshDataDir()
  const clock = new Clock(dirname(dir), start)
  const admin = initData(dir, init, clock.env)
  fastArgon(dir)
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
    const name = names[key] ?? `社員 ${key}`
    const p = await officer.post('/api/people', { employee_no, name, name_kana: 'シャイン', employment_type: 'regular' })
    assert.equal(p.status, 201, p.text)
    const login = `u${n}${key.replace(/_/g, '')}`
    const a = await officer.post('/api/accounts', { person_id: p.body.id, login, roles })
    assert.equal(a.status, 201, a.text)
    const c = new Client(w.server.url)
    const f = await firstLogin(c, login, a.body.password, clock)
    w.who[key] = { c, login, id: a.body.id, account: a.body.id, person: p.body.id, employee_no, name, ...f }
  }
  // A fresh session for each (all but those who left when none is named); the clock moves 30 s
  // before each sign-in when `step` is set, so that each TOTP code is a fresh one.
  const signIn = async (keys, step) => {
    for (const key of keys.length ? keys : Object.keys(w.who).filter((k) => !w.who[k].left)) {
      const a = w.who[key]
      if (step) clock.advance(30)
      a.c = new Client(w.server.url)
      const r = await a.c.login(a.login, a.password, a.secret ? totp(a.secret, clock) : undefined)
      assert.equal(r.status, 201, `${a.login} signs in again: ${r.text}`)
    }
  }
  // After the clock moved past the idle timeout: everyone (or those named) signs in again.
  w.relogin = (...keys) => signIn(keys, true)
  w.restart = async () => {
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    w.server = await startServer(dir, { env: serverEnv })
    await w.relogin()
  }
  w.setClock = (text) => { clock.ms = Date.parse(text); clock.write() }
  // Moves the clock to a Japan time (YYYY-MM-DDTHH:MM:SS) and signs everyone in again.
  w.at = async (jst) => {
    w.setClock(`${jst}+09:00`)
    await signIn([], false)
  }
  w.stop = async () => assert.equal(await w.server.stop(), 0, w.server.stderr)
  return w
}
