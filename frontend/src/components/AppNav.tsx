import { NavLink } from 'react-router';

/** The tabs of one application. */
export function AppNav({ name }: { name: string }) {
  const base = `/applications/${encodeURIComponent(name)}`;
  return (
    <nav className="app-nav" aria-label={`Application ${name}`}>
      <h1 className="app-title">{name}</h1>
      <ul>
        <li>
          <NavLink to={`${base}/clusters`}>Clusters</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/pipelines`} end>
            Pipelines
          </NavLink>
        </li>
        <li>
          <NavLink to={`${base}/loadbalancers`}>Load balancers</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/activity`}>Activity</NavLink>
        </li>
      </ul>
    </nav>
  );
}
