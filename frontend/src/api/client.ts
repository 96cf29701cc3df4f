import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { updates } from './cacheUpdates';
import { connectionStore, type ConnectionStore } from './connection';
import { VersionBook, versionGuardExchange } from './versionGuard';

// Types without an id are stored inside their parent. Task ids are only unique within a
// stage, so tasks are embedded too.
const embedded = () => null;
export const keys = Object.fromEntries(
  [
    'PageInfo', 'ApplicationConnection', 'ApplicationEdge', 'ClusterConnection', 'ClusterEdge', 'ServerGroupConnection',
    'ServerGroupEdge', 'InstanceConnection', 'InstanceEdge', 'LoadBalancerConnection', 'LoadBalancerEdge',
    'PipelineConnection', 'PipelineEdge', 'ExecutionConnection', 'ExecutionEdge', 'Moniker', 'Capacity', 'Artifact',
    'InstanceCounts', 'LoadBalancerTarget', 'StageDefinition', 'Trigger', 'Parameter', 'Notification', 'Warning',
    'ExecutionTrigger', 'Task', 'ExecutionEvent', 'ClusterEvent', 'LoadBalancerEvent', 'ApplicationPayload', 'DeletePayload',
    'SavePipelinePayload', 'ExecutionPayload',
    'NotificationDelivery', 'NotificationTarget', 'AuditEventConnection', 'AuditEventEdge', 'AuditTarget',
  ].map((t) => [t, embedded]),
);

/** Where the API is: the page's own origin, http → ws. */
export function apiUrls(location: Pick<Location, 'protocol' | 'host'>): { http: string; ws: string } {
  const ws = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: '/graphql', ws: `${ws}//${location.host}/graphql` };
}

/** Reconnection back-off: 1 s doubling to 10 s, with jitter ("offline" shows after about 3 s). */
async function retryWait(retries: number): Promise<void> {
  const ms = Math.min(10_000, 1000 * 2 ** retries) * (0.75 + Math.random() / 2);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The dashboard's GraphQL client: queries and mutations over HTTP POST, subscriptions over
 * one graphql-transport-ws socket that reconnects forever and reports its state to store.
 * Subscription events pass a version guard before graphcache writes them.
 */
export function createGennakerClient(store: ConnectionStore = connectionStore): { client: Client; ws: WsClient } {
  const urls = apiUrls(window.location);
  const ws = createWsClient({
    url: urls.ws,
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait,
    keepAlive: 10_000,
    on: {
      connected: () => store.dispatch({ type: 'connected' }),
      closed: () => store.dispatch({ type: 'closed' }),
    },
    onNonLazyError: () => store.dispatch({ type: 'closed' }),
  });
  const book = new VersionBook();
  const client = new Client({
    url: urls.http,
    preferGetMethod: false,
    exchanges: [
      cacheExchange({ keys, updates }),
      versionGuardExchange(book),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, ws };
}
