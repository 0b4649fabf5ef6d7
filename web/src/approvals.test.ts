import { describe, expect, it } from 'vitest'
import { approvalStateInfo, requestForRecord, snapshotRows, subjectHref } from './approvals'
import { hashOf, routeFromHash, sectionOf } from './routes'

describe('approvals', () => {
  it('links a register subject to its record', () => {
    expect(subjectHref('register:takeouts:12')).toBe('#/ledgers/takeouts/12')
    expect(subjectHref('新しいPC')).toBeUndefined()
    expect(subjectHref('register:takeouts:0')).toBeUndefined()
  })

  it('routes #/approvals/ID', () => {
    expect(routeFromHash('#/approvals')).toEqual({ page: 'approvals' })
    expect(routeFromHash('#/approvals/7')).toEqual({ page: 'approval', id: 7 })
    expect(routeFromHash('#/approvals/x')).toEqual({ page: 'approvals' })
    expect(hashOf({ page: 'approval', id: 7 })).toBe('#/approvals/7')
    expect(sectionOf('approval')).toBe('approvals')
  })

  it('shows a snapshot as rows', () => {
    expect(snapshotRows({ kind: 'record', register: 'takeouts', record: { id: 1, item: 'USB', notes: null, _labels: {} } })).toEqual([
      ['id', '1'],
      ['item', 'USB'],
    ])
    expect(snapshotRows({ kind: 'text', subject: 's', title: 't', detail: '' })).toEqual([['title', 't']])
    expect(snapshotRows(null)).toEqual([])
  })

  it('makes the request of a new take-out', () => {
    expect(requestForRecord('takeouts', { id: 3, item_class: 'internal', takeout_no: 'T-1', item: 'USB', planned_takeout: '2027-04-02' })).toEqual({
      type: 'takeout',
      class: 'internal',
      subject: 'register:takeouts:3',
      title: '持出 T-1（USB）',
      due_on: '2027-04-02',
    })
    expect(requestForRecord('devices', { id: 3 })).toBeNull()
  })

  it('labels states', () => {
    expect(approvalStateInfo('pending')?.label).toBe('apPending')
    expect(approvalStateInfo('x')).toBeUndefined()
  })
})
