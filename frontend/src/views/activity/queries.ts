import { graphql } from '../../gql';

/** What the activity view shows of an audit event. */
export const ActivityEventFragment = graphql(`
  fragment ActivityEvent on AuditEvent {
    id
    at
    actor
    action
    applicationName
    detail
    target {
      type
      id
    }
    execution {
      id
      name
    }
  }
`);

/** One page of an application's audit log, newest first; graphcache joins the pages (relayPagination). */
export const ActivityQuery = graphql(`
  query Activity($name: String!, $first: Int!, $after: String) {
    application(name: $name) {
      id
      name
      auditEvents(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...ActivityEvent
          }
        }
      }
    }
  }
`);
