// Helpers for mamori's black-box tests (node --test): run the real binary,
// make fresh data directories, start `mamori serve` on a free loopback port,
// and launch Debian's Chromium through playwright-core.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (tests/lib/../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The mamori binary under test. */
export const BIN = process.env.MAMORI_BIN || join(ROOT, 'build', 'mamori')

/**
 * A path for a new data directory that does not exist yet (`mamori init`
 * creates it and refuses an existing one). Its parent is a fresh temp dir.
 */
export function freshDataDir() {
  return join(mkdtempSync(join(tmpdir(), 'mamori-test-')), 'data')
}

/**
 * Run `BIN ...args` to completion.
 * @param {string[]} args
 * @param {{input?: string|Buffer, env?: Record<string,string>, dataDir?: string}} [opts]
 * @returns {{code: number|null, stdout: string, stderr: string}}
 */
export function run(args, { input, env, dataDir } = {}) {
  const argv = dataDir ? [...args, '--data', dataDir] : [...args]
  const r = spawnSync(BIN, argv, {
    input,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  })
  if (r.error) throw new Error(`cannot run ${BIN} ${argv.join(' ')}: ${r.error.message}`)
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/**
 * `mamori init --data DIR ...extraArgs`; asserts success and returns the
 * one-time admin credentials it prints.
 */
export function init(dataDir, extraArgs = [], env = undefined) {
  const r = run(['init', '--data', dataDir, ...extraArgs], env ? { env } : undefined)
  assert.equal(r.code, 0, `mamori init failed (exit ${r.code}):\n${r.stderr}${r.stdout}`)
  const login = r.stdout.match(/^login: (.+)$/m)?.[1]?.trim()
  const password = r.stdout.match(/^password: (.+)$/m)?.[1]?.trim()
  assert.ok(login, `no "login: NAME" line in mamori init output:\n${r.stdout}`)
  assert.ok(password, `no "password: SECRET" line in mamori init output`)
  return { login, password, stdout: r.stdout }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => ok(port))
    })
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Start `mamori serve` on a free loopback port and wait until GET /healthz
 * answers 200 (at most 10 s). Fails with the server's stderr if it exits
 * early. stop() sends SIGTERM and resolves to the exit code (or the signal
 * name when it was killed by one).
 */
export async function startServer(dataDir, { env } = {}) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = spawn(BIN, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let stdout = ''
  proc.stdout.setEncoding('utf8').on('data', (s) => (stdout += s))
  proc.stderr.setEncoding('utf8').on('data', (s) => (stderr += s))
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r(code ?? signal)))
  let exitCode
  exited.then((c) => (exitCode = c))
  const spawnError = new Promise((_, fail) => proc.once('error', fail))
  spawnError.catch(() => {}) // reported below

  const deadline = Date.now() + 10_000
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`mamori serve exited early (${exitCode}):\n${stderr}${stdout}`)
    try {
      const res = await Promise.race([fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }), spawnError])
      await res.arrayBuffer()
      if (res.status === 200) break
    } catch (e) {
      if (e?.code === 'ENOENT' || e?.syscall?.startsWith('spawn')) throw new Error(`cannot start ${BIN}: ${e.message}`)
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`mamori serve did not answer GET /healthz with 200 within 10 s:\n${stderr}${stdout}`)
    }
    await sleep(50)
  }

  return {
    url,
    port,
    proc,
    get stderr() {
      return stderr
    },
    get stdout() {
      return stdout
    },
    // Every server a test starts is checked at its end: a sanitizer report (leak, memory error,
    // undefined behaviour) fails the test that stopped it.
    async stop() {
      if (exitCode === undefined) proc.kill('SIGTERM')
      const code = await exited
      if (/ERROR: (Leak|Address)Sanitizer|runtime error:/.test(stderr))
        throw new Error(`mamori serve reported a sanitizer error:\n${stderr}`)
      return code
    },
  }
}

/** Debian's Chromium, headless, driven by playwright-core (no downloaded browser). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
