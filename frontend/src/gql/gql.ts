/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ExecutionSummary on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    triggeredBy\n    reason\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      id\n      refId\n      name\n      type\n      status\n      requisiteStageRefIds\n      startedAt\n      endedAt\n    }\n  }\n": typeof types.ExecutionSummaryFragmentDoc,
    "\n  fragment OperationResult on ExecutionPayload {\n    execution {\n      id\n      name\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n": typeof types.OperationResultFragmentDoc,
    "\n  fragment ActivityEvent on AuditEvent {\n    id\n    at\n    actor\n    action\n    applicationName\n    detail\n    target {\n      type\n      id\n    }\n    execution {\n      id\n      name\n    }\n  }\n": typeof types.ActivityEventFragmentDoc,
    "\n  query Activity($name: String!, $first: Int!, $after: String) {\n    application(name: $name) {\n      id\n      name\n      auditEvents(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            ...ActivityEvent\n          }\n        }\n      }\n    }\n  }\n": typeof types.ActivityDocument,
    "\n  query Applications {\n    applications(first: 200) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n    }\n  }\n": typeof types.ApplicationsDocument,
    "\n  fragment ApplicationRow on Application {\n    id\n    name\n    description\n    ownerEmail\n    criticality\n    version\n    executions(first: 1) {\n      edges {\n        node {\n          id\n          name\n          status\n          version\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.ApplicationRowFragmentDoc,
    "\n  mutation CreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) {\n      application {\n        ...ApplicationRow\n      }\n    }\n  }\n": typeof types.CreateApplicationDocument,
    "\n  subscription LastDeploy($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        id\n        name\n        status\n        version\n        createdAt\n        application {\n          id\n          name\n        }\n        pipeline {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.LastDeployDocument,
    "\n  query Clusters($name: String!) {\n    application(name: $name) {\n      id\n      name\n      criticality\n      clusters(first: 30) {\n        edges {\n          node {\n            ...ClusterHeader\n            serverGroups(first: 10) {\n              edges {\n                node {\n                  ...ServerGroupCard\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ClustersDocument,
    "\n  fragment ClusterHeader on Cluster {\n    id\n    name\n    account\n    moniker {\n      cluster\n      stack\n      detail\n    }\n  }\n": typeof types.ClusterHeaderFragmentDoc,
    "\n  fragment ServerGroupCard on ServerGroup {\n    id\n    name\n    account\n    region\n    enabled\n    createdAt\n    loadBalancers\n    capacity {\n      min\n      desired\n      max\n    }\n    artifact {\n      type\n      reference\n      version\n    }\n    moniker {\n      cluster\n      sequence\n    }\n    cluster {\n      id\n    }\n    instanceCounts {\n      total\n      up\n      down\n      starting\n      outOfService\n      unknown\n    }\n    instances(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          instanceId\n          health\n          healthDetail\n          zone\n        }\n      }\n    }\n  }\n": typeof types.ServerGroupCardFragmentDoc,
    "\n  subscription ClusterLive($name: String!) {\n    clusterUpdated(application: $name) {\n      kind\n      id\n      version\n      serverGroup {\n        ...ServerGroupCard\n        cluster {\n          ...ClusterHeader\n        }\n      }\n    }\n  }\n": typeof types.ClusterLiveDocument,
    "\n  mutation ResizeServerGroup($input: ResizeServerGroupInput!) {\n    resizeServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.ResizeServerGroupDocument,
    "\n  mutation EnableServerGroup($input: ServerGroupIdInput!) {\n    enableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.EnableServerGroupDocument,
    "\n  mutation DisableServerGroup($input: ServerGroupIdInput!) {\n    disableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.DisableServerGroupDocument,
    "\n  mutation DestroyServerGroup($input: ServerGroupIdInput!) {\n    destroyServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.DestroyServerGroupDocument,
    "\n  mutation RollbackCluster($input: RollbackClusterInput!) {\n    rollbackCluster(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.RollbackClusterDocument,
    "\n  mutation TerminateInstances($input: TerminateInstancesInput!) {\n    terminateInstances(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.TerminateInstancesDocument,
    "\n  fragment PipelineDefinition on Pipeline {\n    id\n    name\n    description\n    version\n    updatedAt\n    updatedBy\n    limitConcurrent\n    maxConcurrentExecutions\n    keepWaitingPipelines\n    disabled\n    application {\n      id\n      name\n    }\n    stages {\n      refId\n      type\n      name\n      requisiteStageRefIds\n      config\n    }\n    triggers {\n      type\n      enabled\n      config\n    }\n    parameters {\n      name\n      label\n      description\n      default\n      required\n      options\n    }\n    notifications {\n      type\n      address\n      when\n      config\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n": typeof types.PipelineDefinitionFragmentDoc,
    "\n  query PipelineDefinition($id: ID!) {\n    pipeline(id: $id) {\n      ...PipelineDefinition\n    }\n  }\n": typeof types.PipelineDefinitionDocument,
    "\n  mutation SavePipeline($input: SavePipelineInput!) {\n    savePipeline(input: $input) {\n      pipeline {\n        ...PipelineDefinition\n      }\n      warnings {\n        path\n        code\n        message\n      }\n    }\n  }\n": typeof types.SavePipelineDocument,
    "\n  fragment ExecutionDetail on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    canceled\n    canceledBy\n    cancelReason\n    triggeredBy\n    reason\n    parameters\n    trigger {\n      type\n      user\n    }\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      ...StageDetail\n    }\n  }\n": typeof types.ExecutionDetailFragmentDoc,
    "\n  fragment StageDetail on Stage {\n    id\n    refId\n    type\n    name\n    requisiteStageRefIds\n    status\n    context\n    outputs\n    error\n    startedAt\n    endedAt\n    tasks {\n      id\n      name\n      status\n      startedAt\n      endedAt\n      attempts\n      error\n    }\n  }\n": typeof types.StageDetailFragmentDoc,
    "\n  query Execution($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionDetail\n    }\n  }\n": typeof types.ExecutionDocument,
    "\n  subscription ExecutionLive($id: ID!) {\n    executionUpdated(executionId: $id) {\n      kind\n      version\n      execution {\n        ...ExecutionDetail\n      }\n    }\n  }\n": typeof types.ExecutionLiveDocument,
    "\n  mutation CancelExecution($input: CancelExecutionInput!) {\n    cancelExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.CancelExecutionDocument,
    "\n  mutation PauseExecution($input: ExecutionIdInput!) {\n    pauseExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.PauseExecutionDocument,
    "\n  mutation ResumeExecution($input: ExecutionIdInput!) {\n    resumeExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.ResumeExecutionDocument,
    "\n  mutation RestartStage($input: StageIdInput!) {\n    restartStage(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.RestartStageDocument,
    "\n  mutation SkipStage($input: StageIdInput!) {\n    skipStage(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.SkipStageDocument,
    "\n  mutation JudgeStage($input: JudgeStageInput!) {\n    judgeStage(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.JudgeStageDocument,
    "\n  query ExecutionNotifications($id: ID!) {\n    execution(id: $id) {\n      id\n      notifications {\n        event\n        status\n        attempts\n        lastError\n        createdAt\n        updatedAt\n        stage {\n          id\n          name\n        }\n        targets {\n          type\n          host\n        }\n      }\n    }\n  }\n": typeof types.ExecutionNotificationsDocument,
    "\n  fragment LoadBalancerCard on LoadBalancer {\n    id\n    name\n    account\n    region\n    address\n    targets {\n      serverGroupName\n      weight\n      serverGroup {\n        id\n        enabled\n        instanceCounts {\n          total\n          up\n        }\n      }\n    }\n  }\n": typeof types.LoadBalancerCardFragmentDoc,
    "\n  query LoadBalancers($name: String!) {\n    application(name: $name) {\n      id\n      name\n      loadBalancers(first: 100) {\n        edges {\n          node {\n            ...LoadBalancerCard\n          }\n        }\n      }\n    }\n  }\n": typeof types.LoadBalancersDocument,
    "\n  subscription LoadBalancerLive($name: String!) {\n    loadBalancerUpdated(application: $name) {\n      kind\n      id\n      version\n      loadBalancer {\n        ...LoadBalancerCard\n      }\n    }\n  }\n": typeof types.LoadBalancerLiveDocument,
    "\n  query Pipelines($name: String!) {\n    application(name: $name) {\n      id\n      name\n      pipelines(first: 50) {\n        edges {\n          node {\n            id\n            name\n            description\n            disabled\n            version\n            parameters {\n              name\n              label\n              description\n              default\n              required\n              options\n            }\n            executions(first: 8) {\n              edges {\n                node {\n                  ...ExecutionSummary\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PipelinesDocument,
    "\n  subscription AppExecutions($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        ...ExecutionSummary\n      }\n    }\n  }\n": typeof types.AppExecutionsDocument,
    "\n  mutation TriggerPipeline($input: TriggerPipelineInput!) {\n    triggerPipeline(input: $input) {\n      ...OperationResult\n    }\n  }\n": typeof types.TriggerPipelineDocument,
};
const documents: Documents = {
    "\n  fragment ExecutionSummary on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    triggeredBy\n    reason\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      id\n      refId\n      name\n      type\n      status\n      requisiteStageRefIds\n      startedAt\n      endedAt\n    }\n  }\n": types.ExecutionSummaryFragmentDoc,
    "\n  fragment OperationResult on ExecutionPayload {\n    execution {\n      id\n      name\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n": types.OperationResultFragmentDoc,
    "\n  fragment ActivityEvent on AuditEvent {\n    id\n    at\n    actor\n    action\n    applicationName\n    detail\n    target {\n      type\n      id\n    }\n    execution {\n      id\n      name\n    }\n  }\n": types.ActivityEventFragmentDoc,
    "\n  query Activity($name: String!, $first: Int!, $after: String) {\n    application(name: $name) {\n      id\n      name\n      auditEvents(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            ...ActivityEvent\n          }\n        }\n      }\n    }\n  }\n": types.ActivityDocument,
    "\n  query Applications {\n    applications(first: 200) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n    }\n  }\n": types.ApplicationsDocument,
    "\n  fragment ApplicationRow on Application {\n    id\n    name\n    description\n    ownerEmail\n    criticality\n    version\n    executions(first: 1) {\n      edges {\n        node {\n          id\n          name\n          status\n          version\n          createdAt\n        }\n      }\n    }\n  }\n": types.ApplicationRowFragmentDoc,
    "\n  mutation CreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) {\n      application {\n        ...ApplicationRow\n      }\n    }\n  }\n": types.CreateApplicationDocument,
    "\n  subscription LastDeploy($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        id\n        name\n        status\n        version\n        createdAt\n        application {\n          id\n          name\n        }\n        pipeline {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.LastDeployDocument,
    "\n  query Clusters($name: String!) {\n    application(name: $name) {\n      id\n      name\n      criticality\n      clusters(first: 30) {\n        edges {\n          node {\n            ...ClusterHeader\n            serverGroups(first: 10) {\n              edges {\n                node {\n                  ...ServerGroupCard\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ClustersDocument,
    "\n  fragment ClusterHeader on Cluster {\n    id\n    name\n    account\n    moniker {\n      cluster\n      stack\n      detail\n    }\n  }\n": types.ClusterHeaderFragmentDoc,
    "\n  fragment ServerGroupCard on ServerGroup {\n    id\n    name\n    account\n    region\n    enabled\n    createdAt\n    loadBalancers\n    capacity {\n      min\n      desired\n      max\n    }\n    artifact {\n      type\n      reference\n      version\n    }\n    moniker {\n      cluster\n      sequence\n    }\n    cluster {\n      id\n    }\n    instanceCounts {\n      total\n      up\n      down\n      starting\n      outOfService\n      unknown\n    }\n    instances(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          instanceId\n          health\n          healthDetail\n          zone\n        }\n      }\n    }\n  }\n": types.ServerGroupCardFragmentDoc,
    "\n  subscription ClusterLive($name: String!) {\n    clusterUpdated(application: $name) {\n      kind\n      id\n      version\n      serverGroup {\n        ...ServerGroupCard\n        cluster {\n          ...ClusterHeader\n        }\n      }\n    }\n  }\n": types.ClusterLiveDocument,
    "\n  mutation ResizeServerGroup($input: ResizeServerGroupInput!) {\n    resizeServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.ResizeServerGroupDocument,
    "\n  mutation EnableServerGroup($input: ServerGroupIdInput!) {\n    enableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.EnableServerGroupDocument,
    "\n  mutation DisableServerGroup($input: ServerGroupIdInput!) {\n    disableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.DisableServerGroupDocument,
    "\n  mutation DestroyServerGroup($input: ServerGroupIdInput!) {\n    destroyServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.DestroyServerGroupDocument,
    "\n  mutation RollbackCluster($input: RollbackClusterInput!) {\n    rollbackCluster(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.RollbackClusterDocument,
    "\n  mutation TerminateInstances($input: TerminateInstancesInput!) {\n    terminateInstances(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.TerminateInstancesDocument,
    "\n  fragment PipelineDefinition on Pipeline {\n    id\n    name\n    description\n    version\n    updatedAt\n    updatedBy\n    limitConcurrent\n    maxConcurrentExecutions\n    keepWaitingPipelines\n    disabled\n    application {\n      id\n      name\n    }\n    stages {\n      refId\n      type\n      name\n      requisiteStageRefIds\n      config\n    }\n    triggers {\n      type\n      enabled\n      config\n    }\n    parameters {\n      name\n      label\n      description\n      default\n      required\n      options\n    }\n    notifications {\n      type\n      address\n      when\n      config\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n": types.PipelineDefinitionFragmentDoc,
    "\n  query PipelineDefinition($id: ID!) {\n    pipeline(id: $id) {\n      ...PipelineDefinition\n    }\n  }\n": types.PipelineDefinitionDocument,
    "\n  mutation SavePipeline($input: SavePipelineInput!) {\n    savePipeline(input: $input) {\n      pipeline {\n        ...PipelineDefinition\n      }\n      warnings {\n        path\n        code\n        message\n      }\n    }\n  }\n": types.SavePipelineDocument,
    "\n  fragment ExecutionDetail on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    canceled\n    canceledBy\n    cancelReason\n    triggeredBy\n    reason\n    parameters\n    trigger {\n      type\n      user\n    }\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      ...StageDetail\n    }\n  }\n": types.ExecutionDetailFragmentDoc,
    "\n  fragment StageDetail on Stage {\n    id\n    refId\n    type\n    name\n    requisiteStageRefIds\n    status\n    context\n    outputs\n    error\n    startedAt\n    endedAt\n    tasks {\n      id\n      name\n      status\n      startedAt\n      endedAt\n      attempts\n      error\n    }\n  }\n": types.StageDetailFragmentDoc,
    "\n  query Execution($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionDetail\n    }\n  }\n": types.ExecutionDocument,
    "\n  subscription ExecutionLive($id: ID!) {\n    executionUpdated(executionId: $id) {\n      kind\n      version\n      execution {\n        ...ExecutionDetail\n      }\n    }\n  }\n": types.ExecutionLiveDocument,
    "\n  mutation CancelExecution($input: CancelExecutionInput!) {\n    cancelExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.CancelExecutionDocument,
    "\n  mutation PauseExecution($input: ExecutionIdInput!) {\n    pauseExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.PauseExecutionDocument,
    "\n  mutation ResumeExecution($input: ExecutionIdInput!) {\n    resumeExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.ResumeExecutionDocument,
    "\n  mutation RestartStage($input: StageIdInput!) {\n    restartStage(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.RestartStageDocument,
    "\n  mutation SkipStage($input: StageIdInput!) {\n    skipStage(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.SkipStageDocument,
    "\n  mutation JudgeStage($input: JudgeStageInput!) {\n    judgeStage(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.JudgeStageDocument,
    "\n  query ExecutionNotifications($id: ID!) {\n    execution(id: $id) {\n      id\n      notifications {\n        event\n        status\n        attempts\n        lastError\n        createdAt\n        updatedAt\n        stage {\n          id\n          name\n        }\n        targets {\n          type\n          host\n        }\n      }\n    }\n  }\n": types.ExecutionNotificationsDocument,
    "\n  fragment LoadBalancerCard on LoadBalancer {\n    id\n    name\n    account\n    region\n    address\n    targets {\n      serverGroupName\n      weight\n      serverGroup {\n        id\n        enabled\n        instanceCounts {\n          total\n          up\n        }\n      }\n    }\n  }\n": types.LoadBalancerCardFragmentDoc,
    "\n  query LoadBalancers($name: String!) {\n    application(name: $name) {\n      id\n      name\n      loadBalancers(first: 100) {\n        edges {\n          node {\n            ...LoadBalancerCard\n          }\n        }\n      }\n    }\n  }\n": types.LoadBalancersDocument,
    "\n  subscription LoadBalancerLive($name: String!) {\n    loadBalancerUpdated(application: $name) {\n      kind\n      id\n      version\n      loadBalancer {\n        ...LoadBalancerCard\n      }\n    }\n  }\n": types.LoadBalancerLiveDocument,
    "\n  query Pipelines($name: String!) {\n    application(name: $name) {\n      id\n      name\n      pipelines(first: 50) {\n        edges {\n          node {\n            id\n            name\n            description\n            disabled\n            version\n            parameters {\n              name\n              label\n              description\n              default\n              required\n              options\n            }\n            executions(first: 8) {\n              edges {\n                node {\n                  ...ExecutionSummary\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.PipelinesDocument,
    "\n  subscription AppExecutions($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        ...ExecutionSummary\n      }\n    }\n  }\n": types.AppExecutionsDocument,
    "\n  mutation TriggerPipeline($input: TriggerPipelineInput!) {\n    triggerPipeline(input: $input) {\n      ...OperationResult\n    }\n  }\n": types.TriggerPipelineDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExecutionSummary on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    triggeredBy\n    reason\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      id\n      refId\n      name\n      type\n      status\n      requisiteStageRefIds\n      startedAt\n      endedAt\n    }\n  }\n"): (typeof documents)["\n  fragment ExecutionSummary on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    triggeredBy\n    reason\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      id\n      refId\n      name\n      type\n      status\n      requisiteStageRefIds\n      startedAt\n      endedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OperationResult on ExecutionPayload {\n    execution {\n      id\n      name\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment OperationResult on ExecutionPayload {\n    execution {\n      id\n      name\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActivityEvent on AuditEvent {\n    id\n    at\n    actor\n    action\n    applicationName\n    detail\n    target {\n      type\n      id\n    }\n    execution {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ActivityEvent on AuditEvent {\n    id\n    at\n    actor\n    action\n    applicationName\n    detail\n    target {\n      type\n      id\n    }\n    execution {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Activity($name: String!, $first: Int!, $after: String) {\n    application(name: $name) {\n      id\n      name\n      auditEvents(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            ...ActivityEvent\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Activity($name: String!, $first: Int!, $after: String) {\n    application(name: $name) {\n      id\n      name\n      auditEvents(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            ...ActivityEvent\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Applications {\n    applications(first: 200) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Applications {\n    applications(first: 200) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApplicationRow on Application {\n    id\n    name\n    description\n    ownerEmail\n    criticality\n    version\n    executions(first: 1) {\n      edges {\n        node {\n          id\n          name\n          status\n          version\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ApplicationRow on Application {\n    id\n    name\n    description\n    ownerEmail\n    criticality\n    version\n    executions(first: 1) {\n      edges {\n        node {\n          id\n          name\n          status\n          version\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) {\n      application {\n        ...ApplicationRow\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApplication($input: CreateApplicationInput!) {\n    createApplication(input: $input) {\n      application {\n        ...ApplicationRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LastDeploy($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        id\n        name\n        status\n        version\n        createdAt\n        application {\n          id\n          name\n        }\n        pipeline {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LastDeploy($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        id\n        name\n        status\n        version\n        createdAt\n        application {\n          id\n          name\n        }\n        pipeline {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Clusters($name: String!) {\n    application(name: $name) {\n      id\n      name\n      criticality\n      clusters(first: 30) {\n        edges {\n          node {\n            ...ClusterHeader\n            serverGroups(first: 10) {\n              edges {\n                node {\n                  ...ServerGroupCard\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Clusters($name: String!) {\n    application(name: $name) {\n      id\n      name\n      criticality\n      clusters(first: 30) {\n        edges {\n          node {\n            ...ClusterHeader\n            serverGroups(first: 10) {\n              edges {\n                node {\n                  ...ServerGroupCard\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ClusterHeader on Cluster {\n    id\n    name\n    account\n    moniker {\n      cluster\n      stack\n      detail\n    }\n  }\n"): (typeof documents)["\n  fragment ClusterHeader on Cluster {\n    id\n    name\n    account\n    moniker {\n      cluster\n      stack\n      detail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ServerGroupCard on ServerGroup {\n    id\n    name\n    account\n    region\n    enabled\n    createdAt\n    loadBalancers\n    capacity {\n      min\n      desired\n      max\n    }\n    artifact {\n      type\n      reference\n      version\n    }\n    moniker {\n      cluster\n      sequence\n    }\n    cluster {\n      id\n    }\n    instanceCounts {\n      total\n      up\n      down\n      starting\n      outOfService\n      unknown\n    }\n    instances(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          instanceId\n          health\n          healthDetail\n          zone\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ServerGroupCard on ServerGroup {\n    id\n    name\n    account\n    region\n    enabled\n    createdAt\n    loadBalancers\n    capacity {\n      min\n      desired\n      max\n    }\n    artifact {\n      type\n      reference\n      version\n    }\n    moniker {\n      cluster\n      sequence\n    }\n    cluster {\n      id\n    }\n    instanceCounts {\n      total\n      up\n      down\n      starting\n      outOfService\n      unknown\n    }\n    instances(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          instanceId\n          health\n          healthDetail\n          zone\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClusterLive($name: String!) {\n    clusterUpdated(application: $name) {\n      kind\n      id\n      version\n      serverGroup {\n        ...ServerGroupCard\n        cluster {\n          ...ClusterHeader\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ClusterLive($name: String!) {\n    clusterUpdated(application: $name) {\n      kind\n      id\n      version\n      serverGroup {\n        ...ServerGroupCard\n        cluster {\n          ...ClusterHeader\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResizeServerGroup($input: ResizeServerGroupInput!) {\n    resizeServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation ResizeServerGroup($input: ResizeServerGroupInput!) {\n    resizeServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableServerGroup($input: ServerGroupIdInput!) {\n    enableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation EnableServerGroup($input: ServerGroupIdInput!) {\n    enableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableServerGroup($input: ServerGroupIdInput!) {\n    disableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation DisableServerGroup($input: ServerGroupIdInput!) {\n    disableServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DestroyServerGroup($input: ServerGroupIdInput!) {\n    destroyServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation DestroyServerGroup($input: ServerGroupIdInput!) {\n    destroyServerGroup(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RollbackCluster($input: RollbackClusterInput!) {\n    rollbackCluster(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation RollbackCluster($input: RollbackClusterInput!) {\n    rollbackCluster(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TerminateInstances($input: TerminateInstancesInput!) {\n    terminateInstances(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation TerminateInstances($input: TerminateInstancesInput!) {\n    terminateInstances(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PipelineDefinition on Pipeline {\n    id\n    name\n    description\n    version\n    updatedAt\n    updatedBy\n    limitConcurrent\n    maxConcurrentExecutions\n    keepWaitingPipelines\n    disabled\n    application {\n      id\n      name\n    }\n    stages {\n      refId\n      type\n      name\n      requisiteStageRefIds\n      config\n    }\n    triggers {\n      type\n      enabled\n      config\n    }\n    parameters {\n      name\n      label\n      description\n      default\n      required\n      options\n    }\n    notifications {\n      type\n      address\n      when\n      config\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment PipelineDefinition on Pipeline {\n    id\n    name\n    description\n    version\n    updatedAt\n    updatedBy\n    limitConcurrent\n    maxConcurrentExecutions\n    keepWaitingPipelines\n    disabled\n    application {\n      id\n      name\n    }\n    stages {\n      refId\n      type\n      name\n      requisiteStageRefIds\n      config\n    }\n    triggers {\n      type\n      enabled\n      config\n    }\n    parameters {\n      name\n      label\n      description\n      default\n      required\n      options\n    }\n    notifications {\n      type\n      address\n      when\n      config\n    }\n    warnings {\n      path\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PipelineDefinition($id: ID!) {\n    pipeline(id: $id) {\n      ...PipelineDefinition\n    }\n  }\n"): (typeof documents)["\n  query PipelineDefinition($id: ID!) {\n    pipeline(id: $id) {\n      ...PipelineDefinition\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SavePipeline($input: SavePipelineInput!) {\n    savePipeline(input: $input) {\n      pipeline {\n        ...PipelineDefinition\n      }\n      warnings {\n        path\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SavePipeline($input: SavePipelineInput!) {\n    savePipeline(input: $input) {\n      pipeline {\n        ...PipelineDefinition\n      }\n      warnings {\n        path\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExecutionDetail on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    canceled\n    canceledBy\n    cancelReason\n    triggeredBy\n    reason\n    parameters\n    trigger {\n      type\n      user\n    }\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      ...StageDetail\n    }\n  }\n"): (typeof documents)["\n  fragment ExecutionDetail on Execution {\n    id\n    type\n    name\n    status\n    version\n    createdAt\n    startedAt\n    endedAt\n    canceled\n    canceledBy\n    cancelReason\n    triggeredBy\n    reason\n    parameters\n    trigger {\n      type\n      user\n    }\n    application {\n      id\n      name\n    }\n    pipeline {\n      id\n      name\n    }\n    stages {\n      ...StageDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StageDetail on Stage {\n    id\n    refId\n    type\n    name\n    requisiteStageRefIds\n    status\n    context\n    outputs\n    error\n    startedAt\n    endedAt\n    tasks {\n      id\n      name\n      status\n      startedAt\n      endedAt\n      attempts\n      error\n    }\n  }\n"): (typeof documents)["\n  fragment StageDetail on Stage {\n    id\n    refId\n    type\n    name\n    requisiteStageRefIds\n    status\n    context\n    outputs\n    error\n    startedAt\n    endedAt\n    tasks {\n      id\n      name\n      status\n      startedAt\n      endedAt\n      attempts\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Execution($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionDetail\n    }\n  }\n"): (typeof documents)["\n  query Execution($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExecutionLive($id: ID!) {\n    executionUpdated(executionId: $id) {\n      kind\n      version\n      execution {\n        ...ExecutionDetail\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ExecutionLive($id: ID!) {\n    executionUpdated(executionId: $id) {\n      kind\n      version\n      execution {\n        ...ExecutionDetail\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelExecution($input: CancelExecutionInput!) {\n    cancelExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation CancelExecution($input: CancelExecutionInput!) {\n    cancelExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseExecution($input: ExecutionIdInput!) {\n    pauseExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation PauseExecution($input: ExecutionIdInput!) {\n    pauseExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeExecution($input: ExecutionIdInput!) {\n    resumeExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeExecution($input: ExecutionIdInput!) {\n    resumeExecution(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestartStage($input: StageIdInput!) {\n    restartStage(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation RestartStage($input: StageIdInput!) {\n    restartStage(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SkipStage($input: StageIdInput!) {\n    skipStage(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation SkipStage($input: StageIdInput!) {\n    skipStage(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JudgeStage($input: JudgeStageInput!) {\n    judgeStage(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation JudgeStage($input: JudgeStageInput!) {\n    judgeStage(input: $input) {\n      ...OperationResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExecutionNotifications($id: ID!) {\n    execution(id: $id) {\n      id\n      notifications {\n        event\n        status\n        attempts\n        lastError\n        createdAt\n        updatedAt\n        stage {\n          id\n          name\n        }\n        targets {\n          type\n          host\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExecutionNotifications($id: ID!) {\n    execution(id: $id) {\n      id\n      notifications {\n        event\n        status\n        attempts\n        lastError\n        createdAt\n        updatedAt\n        stage {\n          id\n          name\n        }\n        targets {\n          type\n          host\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LoadBalancerCard on LoadBalancer {\n    id\n    name\n    account\n    region\n    address\n    targets {\n      serverGroupName\n      weight\n      serverGroup {\n        id\n        enabled\n        instanceCounts {\n          total\n          up\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment LoadBalancerCard on LoadBalancer {\n    id\n    name\n    account\n    region\n    address\n    targets {\n      serverGroupName\n      weight\n      serverGroup {\n        id\n        enabled\n        instanceCounts {\n          total\n          up\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoadBalancers($name: String!) {\n    application(name: $name) {\n      id\n      name\n      loadBalancers(first: 100) {\n        edges {\n          node {\n            ...LoadBalancerCard\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LoadBalancers($name: String!) {\n    application(name: $name) {\n      id\n      name\n      loadBalancers(first: 100) {\n        edges {\n          node {\n            ...LoadBalancerCard\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LoadBalancerLive($name: String!) {\n    loadBalancerUpdated(application: $name) {\n      kind\n      id\n      version\n      loadBalancer {\n        ...LoadBalancerCard\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LoadBalancerLive($name: String!) {\n    loadBalancerUpdated(application: $name) {\n      kind\n      id\n      version\n      loadBalancer {\n        ...LoadBalancerCard\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Pipelines($name: String!) {\n    application(name: $name) {\n      id\n      name\n      pipelines(first: 50) {\n        edges {\n          node {\n            id\n            name\n            description\n            disabled\n            version\n            parameters {\n              name\n              label\n              description\n              default\n              required\n              options\n            }\n            executions(first: 8) {\n              edges {\n                node {\n                  ...ExecutionSummary\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Pipelines($name: String!) {\n    application(name: $name) {\n      id\n      name\n      pipelines(first: 50) {\n        edges {\n          node {\n            id\n            name\n            description\n            disabled\n            version\n            parameters {\n              name\n              label\n              description\n              default\n              required\n              options\n            }\n            executions(first: 8) {\n              edges {\n                node {\n                  ...ExecutionSummary\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppExecutions($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        ...ExecutionSummary\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AppExecutions($name: String!) {\n    executionUpdated(application: $name) {\n      kind\n      version\n      execution {\n        ...ExecutionSummary\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggerPipeline($input: TriggerPipelineInput!) {\n    triggerPipeline(input: $input) {\n      ...OperationResult\n    }\n  }\n"): (typeof documents)["\n  mutation TriggerPipeline($input: TriggerPipelineInput!) {\n    triggerPipeline(input: $input) {\n      ...OperationResult\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;