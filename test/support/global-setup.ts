process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import type { TestProject } from 'vitest/node';
import { type LocalDynamo, startLocalDynamo } from '../../tooling/local/dynamodb-local';

let dynamo: LocalDynamo | undefined;

/** Starts one DynamoDB Local for the whole run (test/support/dynamo.ts hands each test its own table on it). */
export async function setup(project: TestProject): Promise<void> {
  dynamo ??= await startLocalDynamo();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.close();
  dynamo = undefined;
}
