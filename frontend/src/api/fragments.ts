import { graphql } from '../gql';

/** What lists of executions show: status, timings and a bar per stage. */
export const ExecutionSummaryFragment = graphql(`
  fragment ExecutionSummary on Execution {
    id
    type
    name
    status
    version
    createdAt
    startedAt
    endedAt
    triggeredBy
    reason
    application {
      id
      name
    }
    pipeline {
      id
      name
    }
    stages {
      id
      refId
      name
      type
      status
      requisiteStageRefIds
      startedAt
      endedAt
    }
  }
`);

/**
 * What an operation (a mutation that starts or acts on an execution) answers with: which
 * execution, never its state. The answer can reach the cache after newer events (the
 * engine may finish the execution before the HTTP response arrives), and the version guard
 * only sees subscription events: a status here would overwrite a newer one (a judged
 * pipeline shown RUNNING for ever). Live state comes from queries and subscriptions.
 */
export const OperationResultFragment = graphql(`
  fragment OperationResult on ExecutionPayload {
    execution {
      id
      name
    }
    warnings {
      path
      code
      message
    }
  }
`);
