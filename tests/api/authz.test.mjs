// Every route × every role, against the table in docs/authorization.md: a role without the
// permission gets 403; a role with it gets past the check (any other status). The table in the
// docs and the permissions the server reports must also agree.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { ROOT, startServer } from '../lib/mamori.mjs'
import { Client, firstLogin, setup } from './client.mjs'

const ROLES = ['ceo', 'security_officer', 'sysadmin', 'mynumber_manager', 'mynumber_handler', 'dept_head', 'incident_lead', 'education_lead', 'auditor', 'employee']

// permission → roles holding it, from the Markdown table
function docTable() {
  const lines = readFileSync(join(ROOT, 'docs/authorization.md'), 'utf8').split('\n')
  const header = lines.find((l) => l.startsWith('| permission |')).split('|').map((s) => s.trim()).filter(Boolean)
  const cols = header.slice(2)
  const table = {}
  for (const l of lines.filter((l) => /^\| `/.test(l))) {
    const cells = l.split('|').slice(1, -1).map((s) => s.trim())
    table[cells[0].replace(/`/g, '')] = cols.filter((_, i) => cells[i + 2].startsWith('✓'))
  }
  return table
}

// route → permission, from the OpenAPI document's "Permission: `x`"
function routes(doc) {
  const out = []
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const m = (op.description || '').match(/Permission: `([a-z.]+)`/)
      if (m) out.push({ method: method.toUpperCase(), path, perm: m[1] })
    }
  return out
}

test('every route as every role follows docs/authorization.md', async () => {
  const { dir, admin, clock } = setup()
  const server = await startServer(dir, { env: clock.env })
  try {
    const officer = new Client(server.url)
    await firstLogin(officer, admin.login, admin.password, clock)
    const doc = (await officer.get('/api/openapi.json')).body
    const table = docTable()
    // the server's own view of each role's permissions equals the docs
    const roles = (await officer.get('/api/roles')).body.items
    for (const r of roles)
      for (const [perm, holders] of Object.entries(table))
        if (perm !== 'self') assert.equal(r.permissions.includes(perm), holders.includes(r.key), `${r.key} ${perm}`)
    // one account per role, and one victim account to act on
    const people = {}
    let n = 0
    const made = {}
    for (const role of [...ROLES, 'victim']) {
      const p = await officer.post('/api/people', { employee_no: `R${++n}`, name: `役割 ${n}`, name_kana: 'ヤクワリ', employment_type: 'regular' })
      assert.equal(p.status, 201, p.text)
      people[role] = p.body.id
      const a = await officer.post('/api/accounts', { person_id: p.body.id, login: `user${n}`, roles: [role === 'victim' ? 'employee' : role] })
      assert.equal(a.status, 201, a.text)
      made[role] = { login: `user${n}`, password: a.body.password, id: a.body.id }
    }
    const list = routes(doc).filter((r) => !(r.method === 'DELETE' && r.path === '/api/session'))
    assert.ok(list.length >= 18, 'the OpenAPI document names the permission of each route')
    for (const role of ROLES) {
      const c = new Client(server.url)
      await firstLogin(c, made[role].login, made[role].password, clock)
      for (const r of list) {
        const path = r.path.replace('{id}', r.path.startsWith('/api/people') ? people.victim : made.victim.id)
        const res = await c.req(r.method, path, r.method === 'GET' ? undefined : {})
        const allowed = r.perm === 'self' || (table[r.perm] || []).includes(role)
        if (allowed) assert.notEqual(res.status, 403, `${role} ${r.method} ${r.path} should pass: ${res.text}`)
        else assert.equal(res.status, 403, `${role} ${r.method} ${r.path} should be refused, got ${res.status}`)
        assert.notEqual(res.status, 401, `${role} ${r.method} ${r.path}: session lost`)
      }
      assert.equal((await c.del('/api/session')).status, 204)
    }
  } finally {
    const code = await server.stop()
    assert.equal(code, 0, server.stderr)
  }
})

test('without a session every protected route answers 401', async () => {
  const { dir } = setup()
  const server = await startServer(dir)
  try {
    const c = new Client(server.url)
    const doc = (await c.get('/api/openapi.json')).body
    for (const r of routes(doc)) {
      const res = await c.req(r.method, r.path.replace('{id}', '1'), r.method === 'GET' ? undefined : {})
      assert.equal(res.status, 401, `${r.method} ${r.path}`)
      assert.equal(res.headers.get('content-type'), 'application/problem+json')
    }
  } finally {
    await server.stop()
  }
})
