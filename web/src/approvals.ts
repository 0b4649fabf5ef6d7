// 申請・承認: the approval engine's requests (GET/POST /api/approvals, docs/internals/approvals.md).
// Pure helpers; see approvals.test.ts.
import type { MessageKey } from './i18n'

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'withdrawn'

export type ApprovalDecision = {
  step: number
  role: string
  decided_by: string
  decided_at: string
  decision: 'approved' | 'rejected' | string
  comment: string
  snapshot?: unknown
}

export type Approval = {
  id: number
  type: string
  type_title: string
  type_title_en: string
  class: string
  subject: string
  title: string
  detail: string | null
  steps: number
  current_step: number
  step_roles: string[]
  requested_by: string
  requested_at: string
  due_on: string | null
  due_at: string | null
  state: ApprovalState | string
  overdue: boolean
  closed_at: string | null
  closed_by: string | null
  route: string[][]
  snapshot?: Record<string, unknown>
  decisions?: ApprovalDecision[]
}

export type ApprovalList = { at: string; box: Box; items: Approval[] }

export const BOXES = ['inbox', 'mine', 'all'] as const
export type Box = (typeof BOXES)[number]

/** The state's label and colour. */
export function approvalStateInfo(state: string): { label: MessageKey; type: 'grey' | 'blue' | 'green' | 'red' } | undefined {
  switch (state) {
    case 'pending':
      return { label: 'apPending', type: 'blue' }
    case 'approved':
      return { label: 'apApproved', type: 'green' }
    case 'rejected':
      return { label: 'apRejected', type: 'red' }
    case 'withdrawn':
      return { label: 'apWithdrawn', type: 'grey' }
    default:
      return undefined
  }
}

/** The subject "register:NAME:ID" of a ledger record. */
export function subjectOf(ledger: string, id: number): string {
  return `register:${ledger}:${id}`
}

/** The record page of a subject "register:NAME:ID"; undefined for free text. */
export function subjectHref(subject: string): string | undefined {
  const m = /^register:([a-z][a-z_]*):([1-9]\d{0,15})$/.exec(subject)
  return m ? `#/ledgers/${m[1]}/${m[2]}` : undefined
}

/** A snapshot as key/value rows: a ledger record's fields, or the request's own words. */
export function snapshotRows(snapshot: unknown): [string, string][] {
  if (!snapshot || typeof snapshot !== 'object') return []
  const s = snapshot as Record<string, unknown>
  const obj = s.kind === 'record' && s.record && typeof s.record === 'object' ? (s.record as Record<string, unknown>) : s.kind === 'text' ? { title: s.title, detail: s.detail } : s
  const rows: [string, string][] = []
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('_') || v === null || v === undefined || v === '') continue
    rows.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)])
  }
  return rows
}

/**
 * The engine request a new ledger record needs (a take-out: type takeout, its class), or null.
 * The title names the record; the due date is the planned take-out date.
 */
export function requestForRecord(ledger: string, record: Record<string, unknown>): { type: string; class: string; subject: string; title: string; due_on?: string } | null {
  if (ledger !== 'takeouts' || typeof record.id !== 'number' || typeof record.item_class !== 'string') return null
  const no = typeof record.takeout_no === 'string' ? record.takeout_no : `#${record.id}`
  const item = typeof record.item === 'string' && record.item ? `（${record.item}）` : ''
  const out: { type: string; class: string; subject: string; title: string; due_on?: string } = {
    type: 'takeout',
    class: record.item_class,
    subject: subjectOf(ledger, record.id),
    title: `持出 ${no}${item}`,
  }
  if (typeof record.planned_takeout === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(record.planned_takeout)) out.due_on = record.planned_takeout
  return out
}
