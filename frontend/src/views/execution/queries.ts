import { graphql } from '../../gql';

export const ExecutionDetailFragment = graphql(`
  fragment ExecutionDetail on Execution {
    id
    type
    name
    status
    version
    createdAt
    startedAt
    endedAt
    canceled
    canceledBy
    cancelReason
    triggeredBy
    reason
    parameters
    trigger {
      type
      user
    }
    application {
      id
      name
    }
    pipeline {
      id
      name
    }
    stages {
      ...StageDetail
    }
  }
`);

export const StageDetailFragment = graphql(`
  fragment StageDetail on Stage {
    id
    refId
    type
    name
    requisiteStageRefIds
    status
    context
    outputs
    error
    startedAt
    endedAt
    tasks {
      id
      name
      status
      startedAt
      endedAt
      attempts
      error
    }
  }
`);

export const ExecutionQuery = graphql(`
  query Execution($id: ID!) {
    execution(id: $id) {
      ...ExecutionDetail
    }
  }
`);

export const ExecutionLiveSubscription = graphql(`
  subscription ExecutionLive($id: ID!) {
    executionUpdated(executionId: $id) {
      kind
      version
      execution {
        ...ExecutionDetail
      }
    }
  }
`);

export const CancelExecutionMutation = graphql(`
  mutation CancelExecution($input: CancelExecutionInput!) {
    cancelExecution(input: $input) {
      ...OperationResult
    }
  }
`);

export const PauseExecutionMutation = graphql(`
  mutation PauseExecution($input: ExecutionIdInput!) {
    pauseExecution(input: $input) {
      ...OperationResult
    }
  }
`);

export const ResumeExecutionMutation = graphql(`
  mutation ResumeExecution($input: ExecutionIdInput!) {
    resumeExecution(input: $input) {
      ...OperationResult
    }
  }
`);

export const RestartStageMutation = graphql(`
  mutation RestartStage($input: StageIdInput!) {
    restartStage(input: $input) {
      ...OperationResult
    }
  }
`);

export const SkipStageMutation = graphql(`
  mutation SkipStage($input: StageIdInput!) {
    skipStage(input: $input) {
      ...OperationResult
    }
  }
`);

export const JudgeStageMutation = graphql(`
  mutation JudgeStage($input: JudgeStageInput!) {
    judgeStage(input: $input) {
      ...OperationResult
    }
  }
`);

export const ExecutionNotificationsQuery = graphql(`
  query ExecutionNotifications($id: ID!) {
    execution(id: $id) {
      id
      notifications {
        event
        status
        attempts
        lastError
        createdAt
        updatedAt
        stage {
          id
          name
        }
        targets {
          type
          host
        }
      }
    }
  }
`);
