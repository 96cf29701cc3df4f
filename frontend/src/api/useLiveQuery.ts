import { useEffect, useRef } from 'react';
import { useQuery, type AnyVariables, type UseQueryArgs, type UseQueryResponse } from 'urql';
import { useConnection } from './connection';

/**
 * useQuery that fetches a fresh snapshot whenever the subscription socket comes back after
 * a loss: events missed while it was down are never replayed, so the view re-reads the
 * world. Live changes come from the view's subscription into the cache.
 */
export function useLiveQuery<Data, Variables extends AnyVariables>(args: UseQueryArgs<Variables, Data>): UseQueryResponse<Data, Variables> {
  const response = useQuery<Data, Variables>(args);
  const reexecute = response[1];
  const { epoch } = useConnection();
  const seen = useRef(epoch);
  useEffect(() => {
    if (epoch === seen.current) return;
    seen.current = epoch;
    reexecute({ requestPolicy: 'network-only' });
  }, [epoch, reexecute]);
  return response;
}
