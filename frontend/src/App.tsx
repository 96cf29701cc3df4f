import { lazy, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useParams } from 'react-router';
import { ConnectionBadge, ConnectionBanner } from './components/ConnectionBadge';
import { ApplicationsView } from './views/applications/ApplicationsView';
import { ClustersView } from './views/clusters/ClustersView';
import { PipelinesView } from './views/pipelines/PipelinesView';
import { LoadBalancersView } from './views/loadbalancers/LoadBalancersView';
import { ActivityView } from './views/activity/ActivityView';

// The graph views carry React Flow: loaded when first opened.
const ExecutionView = lazy(() => import('./views/execution/ExecutionView').then((m) => ({ default: m.ExecutionView })));
const PipelineEditorView = lazy(() => import('./views/editor/PipelineEditorView').then((m) => ({ default: m.PipelineEditorView })));

function ApplicationHome() {
  const { name = '' } = useParams();
  return <Navigate to={`/applications/${encodeURIComponent(name)}/clusters`} replace />;
}

function NotFound() {
  return (
    <div className="page">
      <h1>Nothing here</h1>
      <p>
        This address is not a page of the dashboard. <Link to="/">Go to the applications.</Link>
      </p>
    </div>
  );
}

/** The dashboard: a header with the live connection state, and one route per view. */
export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand" aria-label="Gennaker: applications">
          <img src="/favicon.svg" alt="" width={22} height={22} /> Gennaker
        </Link>
        <ConnectionBadge />
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
        <Routes>
          <Route path="/" element={<ApplicationsView />} />
          <Route path="/applications/:name" element={<ApplicationHome />} />
          <Route path="/applications/:name/clusters" element={<ClustersView />} />
          <Route path="/applications/:name/pipelines" element={<PipelinesView />} />
          <Route path="/applications/:name/pipelines/new" element={<PipelineEditorView />} />
          <Route path="/applications/:name/pipelines/:id/edit" element={<PipelineEditorView />} />
          <Route path="/applications/:name/loadbalancers" element={<LoadBalancersView />} />
          <Route path="/applications/:name/activity" element={<ActivityView />} />
          <Route path="/executions/:id" element={<ExecutionView />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
        </Suspense>
      </main>
    </>
  );
}
