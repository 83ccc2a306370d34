/**
 * The emulator's GraphQL schema: the subset of W&B's that clients use to read
 * runs (wandb-api.md §1–2), and the `upsertBucket` mutation training jobs
 * write runs with, executed by graphql-js, so fragments, aliases, variables
 * with defaults and `@include` behave as on the real server.
 *
 * @module
 */
import { buildSchema, type GraphQLSchema } from "graphql";

// What clients read: projects, their runs and pages (wandb-api.md §1–2). @KEYS@ marks
// where the `keys:` projections go.
const READS_SDL = `
scalar JSONString

type Query {
  viewer: User
  project(name: String!, entityName: String): Project
}

type User {
  id: ID!
  name: String!
  username: String
  email: String
  entity: String
  flags: JSONString
  teams: EntityConnection
}

type EntityConnection { edges: [EntityEdge!]! }
type EntityEdge { node: Entity }
type Entity { id: ID!, name: String! }

type Project {
  id: ID!
  internalId: ID!
  name: String!
  entityName: String!
  entity: Entity
  readOnly: Boolean
  runCount(filters: JSONString): Int!
  runs(filters: JSONString, after: String, before: String, first: Int, last: Int,
       order: String): RunConnection
  run(name: String!): Run
}

type RunConnection {
  edges: [RunEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type RunEdge { node: Run!, cursor: String! }

type PageInfo {
  startCursor: String
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
}

type Run {
  id: ID!
  projectId: ID!
  name: String!
  displayName: String
  sweepName: String
  state: String
  group: String
  jobType: String
  commit: String
  readOnly: Boolean
  createdAt: String!
  heartbeatAt: String
  updatedAt: String
  description: String
  notes: String
  host: String
  historyLineCount: Int
  computeSeconds: Float
  tags: [String!]
  user: User
  config@KEYS@: JSONString
  summaryMetrics@KEYS@: JSONString
  systemMetrics: JSONString
  historyKeys: JSONString
  project: Project
}
`;

// What a training job writes (the SDK's UpsertBucket); file_stream is plain HTTP.
const WRITES_SDL = `
type Mutation {
  upsertBucket(input: UpsertBucketInput!): UpsertBucketPayload
}

input UpsertBucketInput {
  id: String
  name: String
  groupName: String
  modelName: String
  entityName: String
  description: String
  displayName: String
  notes: String
  commit: String
  config: JSONString
  host: String
  debug: Boolean
  jobProgram: String
  jobRepo: String
  jobType: String
  state: String
  sweep: String
  tags: [String!]
  summaryMetrics: JSONString
  clientMutationId: String
}

type UpsertBucketPayload {
  bucket: Run
  inserted: Boolean
  clientMutationId: String
}

`;

/**
 * The schema's SDL. With `keysArgument: false` the `keys:` projections on
 * `Run.config`/`Run.summaryMetrics` are absent, as on servers that predate
 * them, so clients' fallbacks can be tested.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { schemaSdl } from "./schema.ts";
 * assertEquals(schemaSdl({ keysArgument: true }).includes("summaryMetrics(keys: [String!])"), true);
 * ```
 */
export function schemaSdl({ keysArgument }: { keysArgument: boolean }): string {
  const keys = keysArgument ? "(keys: [String!])" : "";
  return READS_SDL.replaceAll("@KEYS@", keys) + WRITES_SDL;
}

/**
 * The executable schema (resolvers are supplied as the root value and as
 * plain object fields, graphql-js's default resolution).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { wandbSchema } from "./schema.ts";
 * const schema = wandbSchema({ keysArgument: true });
 * assertEquals(schema.getQueryType()?.name, "Query");
 * ```
 */
export function wandbSchema(options: { keysArgument: boolean }): GraphQLSchema {
  return buildSchema(schemaSdl(options));
}
