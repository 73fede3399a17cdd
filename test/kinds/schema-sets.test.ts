/**
 * The schema set of every supported catalog version is frozen, as Materialize freezes
 * `objects_vNN.proto` (and checks it against `objects_hashes.json`): a golden description per
 * version pins every message, field, variant and wrapper. Adding a version adds a golden file
 * (UPDATE_GOLDEN=1); a change that alters an existing version's file is a bug.
 */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { COLLECTIONS, COLLECTION_NAMES, isLargeCollection, KIND_COLLECTIONS } from '../../src/catalog/kinds/collections.js'
import { KIND_NAMES } from '../../src/catalog/kinds/kind-names.js'
import { kindsForVersion } from '../../src/catalog/kinds/schema-sets.js'
import type { EnumSchema, MessageSchema, OneofSchema, Schema, WrapperSchema } from '../../src/catalog/kinds/schema.js'
import { CATALOG_VERSION, CATALOG_VERSIONS, MIN_CATALOG_VERSION } from '../../src/catalog/kinds/versions.js'
import { assertGoldenLines } from '../helpers/catalog-golden.js'

/** A proto-like text of a schema: one line per message or oneof, messages described once each. */
function describe(root: Schema<unknown>, out: string[], seen: Map<string, string>): string {
  switch (root.type) {
    case 'option': {
      const w = root as WrapperSchema<unknown>
      return `${w.required === true ? 'required' : 'optional'} ${describe(w.inner, out, seen)}`
    }
    case 'repeated':
      return `repeated ${describe((root as WrapperSchema<unknown>).inner, out, seen)}`
    case 'enum':
      return `enum ${(root as EnumSchema).name}(${(root as EnumSchema).names.length})`
    case 'message': {
      const m = root as MessageSchema<unknown>
      const body = m.fields.map(([k, s]) => `${k}: ${describe(s, out, seen)}`).join('; ')
      return named(`message ${m.name}`, `{ ${body} }`, out, seen)
    }
    case 'oneof': {
      const o = root as OneofSchema<unknown>
      const body = o.variants.map(([k, s]) => `${k}(${describe(s, out, seen)})`).join(' | ')
      return named(`oneof ${o.name}`, body, out, seen)
    }
    default: {
      const mask = (root as { mask?: bigint }).mask
      return mask === undefined ? root.type : `${root.type} flags(${mask})`
    }
  }
}

/** Emits `head body` once; a second shape under the same name gets a `#2` suffix. */
function named(head: string, body: string, out: string[], seen: Map<string, string>): string {
  for (let n = 1; ; n++) {
    const id = n === 1 ? head : `${head}#${n}`
    const prior = seen.get(id)
    if (prior === body) return id.replace(/^message /, '')
    if (prior === undefined) {
      seen.set(id, body)
      out.push(`${id} ${body}`)
      return id.replace(/^message /, '')
    }
  }
}

function describeVersion(version: number): string[] {
  const out: string[] = []
  const seen = new Map<string, string>()
  const set = kindsForVersion(version)
  const heads: string[] = []
  for (const k of set.all) {
    heads.push(`collection ${k.collection} kind ${k.kind} key ${describe(k.key, out, seen)} value ${describe(k.value, out, seen)}`)
  }
  return [`catalog version ${version}`, ...heads, ...out.sort()]
}

for (const version of CATALOG_VERSIONS) {
  test(`catalog version ${version}: the schema set is frozen`, () => {
    assertGoldenLines(`schema-set-v${version}.txt`, describeVersion(version))
  })
}

test('one record per collection: every kind but Epoch exactly once, names in dump order', () => {
  assert.deepEqual(COLLECTIONS.map((c) => c.kind).sort(), KIND_NAMES.filter((k) => k !== 'Epoch').sort())
  assert.deepEqual([...COLLECTION_NAMES], [...COLLECTION_NAMES].sort())
  for (const c of COLLECTIONS) {
    assert.equal(KIND_COLLECTIONS[c.kind], c.name)
    // Every record starts at the oldest supported version and names no unsupported one.
    const since = Object.keys(c.shapes).map(Number)
    assert.equal(Math.min(...since), MIN_CATALOG_VERSION, c.name)
    assert.ok(Math.max(...since) <= CATALOG_VERSION, c.name)
    // The large collections are exactly the key-only ones (append-only events with value `()`).
    assert.equal(isLargeCollection(c.name), kindsForVersion().collection(c.name).keyOnly, c.name)
  }
})

test('versions without a shape of their own reuse the previous one (v42..v45 read alike)', () => {
  for (const c of COLLECTION_NAMES) {
    for (const v of [43, 44, 45]) {
      assert.equal(kindsForVersion(v).collection(c).key, kindsForVersion(42).collection(c).key)
      assert.equal(kindsForVersion(v).collection(c).value, kindsForVersion(42).collection(c).value)
    }
  }
  assert.notEqual(kindsForVersion(46).collection('audit_log').key, kindsForVersion(45).collection('audit_log').key)
  assert.notEqual(kindsForVersion(47).collection('compute_instance').value, kindsForVersion(46).collection('compute_instance').value)
})
