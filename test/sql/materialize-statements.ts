/**
 * CREATE statements taken from Materialize's own tests and documentation, each with the file it
 * comes from (a path in the MaterializeInc/materialize repository), the statement kind
 * Materialize's parser gives it and the name it creates as written. Stored forms (`[u1 AS …]`,
 * `IN CLUSTER [u1]`) come from `redacted_create_sql` results; the others are `SHOW CREATE`
 * results or statements the parser tests accept.
 */

import type { CreateKind } from '../../src/catalog/sql/statement-head.js'

export interface MaterializeStatement {
  /** Where the statement comes from, in MaterializeInc/materialize. */
  readonly from: string
  readonly sql: string
  readonly kind: CreateKind
  /** The name it creates as written; null for a nameless index. */
  readonly name: readonly string[] | null
}

const REDACTED = 'test/sqllogictest/redacted.slt'
const SECRET = 'test/sqllogictest/secret.slt'
const DDL = 'src/sql-parser/tests/testdata/ddl'
const CREATE = 'src/sql-parser/tests/testdata/create'
const LOADGEN = 'test/testdrive/load-generator.td'
const doc = (page: string): string => `doc/user/content/sql/${page}.md`
const mzPublic = (name: string): string[] => ['materialize', 'public', name]

export const MATERIALIZE_STATEMENTS: readonly MaterializeStatement[] = [
  // Tables
  { from: REDACTED, kind: 'CreateTable', name: mzPublic('t'), sql: 'CREATE TABLE materialize.public.t (i [s20 AS pg_catalog.int4])' },
  {
    from: REDACTED,
    kind: 'CreateTable',
    name: mzPublic('redactable_t'),
    sql: "CREATE TABLE materialize.public.redactable_t (a [s20 AS pg_catalog.int4]) WITH (RETAIN HISTORY = FOR '2s', REDACTED = '<REDACTED>')",
  },
  { from: REDACTED, kind: 'CreateTable', name: mzPublic('t'), sql: 'CREATE TABLE materialize.public.t (i pg_catalog.int4);' },
  {
    from: REDACTED,
    kind: 'CreateTable',
    name: mzPublic('redactable_t'),
    sql: "CREATE TABLE materialize.public.redactable_t (a pg_catalog.int4)\nWITH (RETAIN HISTORY = FOR '2s', REDACTED = '<REDACTED>');",
  },
  {
    from: doc('show-create-table'),
    kind: 'CreateTable',
    name: mzPublic('t'),
    sql: 'CREATE TABLE "materialize"."public"."t" ("a" "pg_catalog"."int4", "b" "pg_catalog"."text" NOT NULL)',
  },
  {
    from: DDL,
    kind: 'CreateTable',
    name: ['uk_cities'],
    sql: 'CREATE TABLE uk_cities (name varchar(100) NOT NULL, lat float8 NULL, lng float8, constrained int4 NULL CONSTRAINT pkey PRIMARY KEY NOT NULL UNIQUE CHECK (constrained > 0), ref int4 REFERENCES othertable (a, b))',
  },
  { from: DDL, kind: 'CreateTable', name: ['t'], sql: 'CREATE TEMPORARY TABLE t (c db.schema.type(0, 1, 100))' },
  { from: DDL, kind: 'CreateTable', name: ['foo'], sql: 'CREATE TABLE foo (bar int4 list list)' },
  {
    from: LOADGEN,
    kind: 'CreateTableFromSource',
    name: mzPublic('accounts'),
    sql: "CREATE TABLE materialize.public.accounts (id pg_catalog.int8 NOT NULL, org_id pg_catalog.int8 NOT NULL, balance pg_catalog.int8 NOT NULL, UNIQUE (id)) FROM SOURCE materialize.public.auction_house (REFERENCE = mz_load_generators.auction.accounts) WITH (DETAILS = '1a040a021002');",
  },
  {
    from: LOADGEN,
    kind: 'CreateTableFromSource',
    name: ['accounts'],
    sql: 'CREATE TABLE accounts FROM SOURCE auction_house (REFERENCE accounts);',
  },
  { from: DDL, kind: 'CreateTable', name: ['t'], sql: 'CREATE TEMP TABLE t ()' },
  // Views
  { from: REDACTED, kind: 'CreateView', name: mzPublic('v'), sql: "CREATE VIEW materialize.public.v AS SELECT '<REDACTED>'" },
  { from: REDACTED, kind: 'CreateView', name: mzPublic('v'), sql: "CREATE VIEW materialize.public.v AS SELECT '<REDACTED>';" },
  {
    from: doc('show-create-view'),
    kind: 'CreateView',
    name: mzPublic('my_view'),
    sql: 'CREATE VIEW "materialize"."public"."my_view" AS SELECT * FROM "materialize"."public"."my_source"',
  },
  { from: DDL, kind: 'CreateView', name: ['myschema', 'myview'], sql: 'CREATE VIEW myschema.myview AS SELECT foo FROM bar' },
  { from: DDL, kind: 'CreateView', name: ['myview'], sql: 'CREATE TEMPORARY VIEW myview AS SELECT foo FROM bar' },
  { from: DDL, kind: 'CreateView', name: ['myview'], sql: 'CREATE TEMP VIEW myview AS SELECT foo FROM bar' },
  { from: DDL, kind: 'CreateView', name: ['v'], sql: 'CREATE OR REPLACE VIEW v AS SELECT 1' },
  { from: DDL, kind: 'CreateView', name: ['v'], sql: 'CREATE VIEW IF NOT EXISTS v AS SELECT 1' },
  { from: DDL, kind: 'CreateView', name: ['v'], sql: 'CREATE VIEW v (has, cols) AS SELECT 1, 2' },
  // Materialized views
  {
    from: REDACTED,
    kind: 'CreateMaterializedView',
    name: mzPublic('mv1'),
    sql: "CREATE MATERIALIZED VIEW materialize.public.mv1\n    IN CLUSTER [u1]\n    WITH (REFRESH = ON COMMIT)\n    AS SELECT i + i + '<REDACTED>' FROM [u1 AS materialize.public.t];",
  },
  {
    from: REDACTED,
    kind: 'CreateMaterializedView',
    name: mzPublic('mv1'),
    sql: "CREATE MATERIALIZED VIEW materialize.public.mv1\n    IN CLUSTER quickstart\n    WITH (REFRESH = ON COMMIT)\n    AS SELECT i + i + '<REDACTED>' FROM materialize.public.t;",
  },
  {
    from: doc('show-create-materialized-view'),
    kind: 'CreateMaterializedView',
    name: mzPublic('winning_bids'),
    sql: 'CREATE MATERIALIZED VIEW "materialize"."public"."winning_bids" IN CLUSTER "quickstart" AS SELECT * FROM "materialize"."public"."highest_bid_per_auction" WHERE "end_time" < "mz_catalog"."mz_now"()',
  },
  {
    from: DDL,
    kind: 'CreateMaterializedView',
    name: ['myschema', 'myview'],
    sql: 'CREATE MATERIALIZED VIEW myschema.myview AS SELECT foo FROM bar',
  },
  {
    from: DDL,
    kind: 'CreateMaterializedView',
    name: ['myschema', 'myview'],
    sql: 'CREATE MATERIALIZED VIEW IF NOT EXISTS myschema.myview AS SELECT foo FROM bar',
  },
  // Indexes
  {
    from: REDACTED,
    kind: 'CreateIndex',
    name: ['t_idx_i'],
    sql: 'CREATE INDEX t_idx_i IN CLUSTER [u1] ON [u1 AS materialize.public.t] (i)',
  },
  {
    from: REDACTED,
    kind: 'CreateIndex',
    name: ['t_idx_i'],
    sql: 'CREATE INDEX t_idx_i IN CLUSTER quickstart ON materialize.public.t (i);',
  },
  {
    from: doc('show-create-index'),
    kind: 'CreateIndex',
    name: ['my_view_idx'],
    sql: 'CREATE INDEX "my_view_idx" IN CLUSTER "default" ON "materialize"."public"."my_view" ("a", "b")',
  },
  { from: DDL, kind: 'CreateIndex', name: ['foo'], sql: 'CREATE INDEX foo ON myschema.bar (a, b)' },
  { from: DDL, kind: 'CreateIndex', name: ['foo'], sql: "CREATE INDEX foo ON myschema.bar (a, b) WITH (baz = 'raz')" },
  {
    from: DDL,
    kind: 'CreateIndex',
    name: ['fizz'],
    sql: 'CREATE INDEX fizz ON baz (ascii(x), a IS NOT NULL, (EXISTS (SELECT y FROM boop WHERE boop.z = z)), delta)',
  },
  { from: DDL, kind: 'CreateIndex', name: ['ind'], sql: 'CREATE INDEX ind ON tab ((col + 1))' },
  { from: DDL, kind: 'CreateIndex', name: null, sql: 'CREATE DEFAULT INDEX ON tab' },
  { from: DDL, kind: 'CreateIndex', name: null, sql: 'CREATE DEFAULT INDEX IF NOT EXISTS ON tab' },
  { from: DDL, kind: 'CreateIndex', name: null, sql: 'CREATE INDEX ON tab (a, b)' },
  // Sources
  {
    from: REDACTED,
    kind: 'CreateSource',
    name: mzPublic('s'),
    sql: 'CREATE SOURCE materialize.public.s IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER;',
  },
  {
    from: doc('show-create-source'),
    kind: 'CreateSource',
    name: mzPublic('market_orders_raw'),
    sql: 'CREATE SOURCE "materialize"."public"."market_orders_raw" IN CLUSTER "c" FROM LOAD GENERATOR COUNTER',
  },
  {
    from: DDL,
    kind: 'CreateSource',
    name: ['source'],
    sql: "CREATE SOURCE source (a, b, PRIMARY KEY (a) NOT ENFORCED) FROM KAFKA BROKER 'broker' TOPIC 'topic'",
  },
  {
    from: DDL,
    kind: 'CreateSource',
    name: ['foo'],
    sql: "CREATE SOURCE IF NOT EXISTS foo (one, two) FROM FILE 'bar' WITH (tail = true) FORMAT REGEX '(asdf)|(jkl)'",
  },
  // The testdrive file's `${arg.single-replica-cluster}` at its default, `quickstart`.
  {
    from: LOADGEN,
    kind: 'CreateSource',
    name: mzPublic('auction_house'),
    sql: 'CREATE SOURCE materialize.public.auction_house\nIN CLUSTER quickstart\nFROM LOAD GENERATOR AUCTION (AS OF = 300, UP TO = 301)\nEXPOSE PROGRESS AS materialize.public.auction_house_progress;',
  },
  {
    from: LOADGEN,
    kind: 'CreateSource',
    name: ['clock'],
    sql: "CREATE SOURCE clock\n  IN CLUSTER quickstart\n  FROM LOAD GENERATOR CLOCK (TICK INTERVAL '1s')",
  },
  // Sinks
  {
    from: doc('show-create-sink'),
    kind: 'CreateSink',
    name: mzPublic('my_view_sink'),
    sql: `CREATE SINK "materialize"."public"."my_view_sink" FROM "materialize"."public"."my_view" INTO KAFKA CONNECTION "materialize"."public"."kafka_conn" (TOPIC 'my_view_sink') FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr_connection ENVELOPE DEBEZIUM`,
  },
  {
    from: DDL,
    kind: 'CreateSink',
    name: ['foo'],
    sql: "CREATE SINK foo FROM bar INTO KAFKA BROKER 'baz' TOPIC 'topic' WITH (replication_factor = 7) FORMAT BYTES WITH SNAPSHOT",
  },
  {
    from: DDL,
    kind: 'CreateSink',
    name: ['foo'],
    sql: "CREATE SINK foo FROM bar INTO KAFKA BROKER 'baz' TOPIC 'topic' KEY (a, b) CONSISTENCY (TOPIC 'consistency' FORMAT BYTES) FORMAT BYTES WITH SNAPSHOT",
  },
  // Connections
  {
    from: REDACTED,
    kind: 'CreateConnection',
    name: mzPublic('kafka_conn'),
    sql: "CREATE CONNECTION materialize.public.kafka_conn TO KAFKA (BROKER = 'localhost:9092', SECURITY PROTOCOL = plaintext)",
  },
  {
    from: REDACTED,
    kind: 'CreateConnection',
    name: mzPublic('kafka_conn'),
    sql: "CREATE CONNECTION materialize.public.kafka_conn\nTO KAFKA (BROKER = 'localhost:9092', SECURITY PROTOCOL = plaintext);",
  },
  {
    from: doc('show-create-connection'),
    kind: 'CreateConnection',
    name: mzPublic('kafka_connection'),
    sql: `CREATE CONNECTION "materialize"."public"."kafka_connection" TO KAFKA (BROKER 'unique-jellyfish-0000.us-east-1.aws.confluent.cloud:9092', SASL MECHANISMS = 'PLAIN', SASL USERNAME = SECRET sasl_username, SASL PASSWORD = SECRET sasl_password)`,
  },
  {
    from: LOADGEN,
    kind: 'CreateConnection',
    name: ['kafka_conn'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: testdrive's own substitution syntax, as the test file has it
    sql: "CREATE CONNECTION IF NOT EXISTS kafka_conn TO KAFKA (BROKER '${testdrive.kafka-addr}', SECURITY PROTOCOL PLAINTEXT);",
  },
  // Types
  {
    from: REDACTED,
    kind: 'CreateType',
    name: mzPublic('ty'),
    sql: 'CREATE TYPE materialize.public.ty AS LIST (ELEMENT TYPE = [s6 AS pg_catalog.bool])',
  },
  {
    from: REDACTED,
    kind: 'CreateType',
    name: mzPublic('ty'),
    sql: 'CREATE TYPE materialize.public.ty AS LIST (ELEMENT TYPE = pg_catalog.bool);',
  },
  {
    from: doc('show-create-type'),
    kind: 'CreateType',
    name: mzPublic('point'),
    sql: 'CREATE TYPE materialize.public.point AS (x pg_catalog.int4, y pg_catalog.int4);',
  },
  {
    from: CREATE,
    kind: 'CreateType',
    name: ['db2', 'schema2', 't2'],
    sql: 'CREATE TYPE db2.schema2.t2 AS LIST ( element_type = db1.schema1.t1 )',
  },
  { from: CREATE, kind: 'CreateType', name: ['custom'], sql: 'CREATE TYPE custom AS MAP ( key_type = text, value_type = bool )' },
  // Secrets
  { from: SECRET, kind: 'CreateSecret', name: ['secret'], sql: "CREATE SECRET secret AS decode('c2VjcmV0Cg==', 'base64');" },
  { from: SECRET, kind: 'CreateSecret', name: ['secret'], sql: "CREATE SECRET IF NOT EXISTS secret AS decode('c2VjcmV0Cg==', 'base64');" },
  {
    from: SECRET,
    kind: 'CreateSecret',
    name: ['testschema', 'key'],
    sql: "CREATE SECRET testschema.key AS decode('c2VjcmV0Cg==', 'base64');",
  },
  {
    from: SECRET,
    kind: 'CreateSecret',
    name: ['roundtrip'],
    sql: "CREATE SECRET roundtrip AS decode(encode('supersecret', 'base64') , 'base64');",
  },
  { from: SECRET, kind: 'CreateSecret', name: ['byte_secret'], sql: "CREATE SECRET byte_secret as 'text'::bytea;" },
]
