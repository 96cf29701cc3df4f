package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ClustersByApplications returns every cluster of these applications, ordered by name.
func (s *Store) ClustersByApplications(ctx context.Context, appIDs []string) ([]Cluster, error) {
	var cs []Cluster
	err := s.db.WithContext(ctx).Where("application_id IN ?", appIDs).Order("name, account").Find(&cs).Error
	return cs, translate(err)
}

// ClustersByIDs returns the clusters with these ids.
func (s *Store) ClustersByIDs(ctx context.Context, ids []string) ([]Cluster, error) {
	var cs []Cluster
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&cs).Error
	return cs, translate(err)
}

// ServerGroupsByClusters returns every server group of these clusters, newest first.
func (s *Store) ServerGroupsByClusters(ctx context.Context, clusterIDs []string) ([]ServerGroup, error) {
	var sgs []ServerGroup
	err := s.db.WithContext(ctx).Omit("provider_state").Where("cluster_id IN ?", clusterIDs).
		Order("created_at DESC, name DESC").Find(&sgs).Error
	return sgs, translate(err)
}

// ServerGroupsByApplication returns every server group of an application, newest first.
func (s *Store) ServerGroupsByApplication(ctx context.Context, appID string) ([]ServerGroup, error) {
	var sgs []ServerGroup
	err := s.db.WithContext(ctx).Where("application_id = ?", appID).Order("created_at DESC, name DESC").Find(&sgs).Error
	return sgs, translate(err)
}

// ServerGroupsByIDs returns the server groups with these ids.
func (s *Store) ServerGroupsByIDs(ctx context.Context, ids []string) ([]ServerGroup, error) {
	var sgs []ServerGroup
	err := s.db.WithContext(ctx).Omit("provider_state").Where("id IN ?", ids).Find(&sgs).Error
	return sgs, translate(err)
}

// ServerGroupKey names a server group the way providers do.
type ServerGroupKey struct{ Account, Region, Name string }

// ServerGroupsByKeys returns the server groups with these names.
func (s *Store) ServerGroupsByKeys(ctx context.Context, keys []ServerGroupKey) ([]ServerGroup, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var sgs []ServerGroup
	q := s.db.WithContext(ctx).Omit("provider_state")
	cond := s.db.Where("1 = 0")
	for _, k := range keys {
		cond = cond.Or("account = ? AND region = ? AND name = ?", k.Account, k.Region, k.Name)
	}
	err := q.Where(cond).Find(&sgs).Error
	return sgs, translate(err)
}

// InstancesByServerGroups returns every instance of these server groups, ordered by launch.
func (s *Store) InstancesByServerGroups(ctx context.Context, sgIDs []string) ([]Instance, error) {
	var is []Instance
	err := s.db.WithContext(ctx).Where("server_group_id IN ?", sgIDs).Order("launched_at, instance_id").Find(&is).Error
	return is, translate(err)
}

// InstancesByIDs returns the instances with these ids.
func (s *Store) InstancesByIDs(ctx context.Context, ids []string) ([]Instance, error) {
	var is []Instance
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&is).Error
	return is, translate(err)
}

// LoadBalancersByApplications returns every load balancer of these applications by name.
func (s *Store) LoadBalancersByApplications(ctx context.Context, appIDs []string) ([]LoadBalancer, error) {
	var lbs []LoadBalancer
	err := s.db.WithContext(ctx).Where("application_id IN ?", appIDs).Order("name").Find(&lbs).Error
	return lbs, translate(err)
}

// LoadBalancersByIDs returns the load balancers with these ids.
func (s *Store) LoadBalancersByIDs(ctx context.Context, ids []string) ([]LoadBalancer, error) {
	var lbs []LoadBalancer
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&lbs).Error
	return lbs, translate(err)
}

// ServerGroupState is what a provider reports of one server group, for UpsertServerGroup.
type ServerGroupState struct {
	Application string
	Account     string
	Region      string
	Cluster     string
	Stack       string
	Detail      string
	Group       ServerGroup
	Instances   []Instance
}

// UpsertServerGroup writes what a provider reports of a server group and its instances,
// creating its cluster when new. It returns the stored server group and whether anything
// changed (the version grows only then). The application must exist.
func (s *Store) UpsertServerGroup(ctx context.Context, st ServerGroupState) (ServerGroup, bool, error) {
	// Two caching passes may report a new group at once: the loser of the insert race tries
	// again and finds the winner's row.
	for attempt := 0; ; attempt++ {
		g, changed, err := s.upsertServerGroup(ctx, st)
		if attempt < 2 && errors.Is(err, ErrConflict) {
			continue
		}
		return g, changed, err
	}
}

func (s *Store) upsertServerGroup(ctx context.Context, st ServerGroupState) (ServerGroup, bool, error) {
	var out ServerGroup
	changed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var app Application
		if err := tx.Take(&app, "name = ?", st.Application).Error; err != nil {
			return fmt.Errorf("finding application %q: %w", st.Application, translate(err))
		}
		now := time.Now().UTC()
		cl := Cluster{ID: NewID(), ApplicationID: app.ID, Account: st.Account, Name: st.Cluster,
			Stack: st.Stack, Detail: st.Detail, CreatedAt: now}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&cl).Error; err != nil {
			return fmt.Errorf("creating cluster: %w", err)
		}
		// A fresh variable: Take with a non-zero primary key would also filter by it. A locking
		// read on MySQL: under REPEATABLE READ a plain one would not see a cluster another
		// transaction created after this one began.
		var stored Cluster
		if err := s.forUpdate(tx).Take(&stored, "account = ? AND name = ?", st.Account, st.Cluster).Error; err != nil {
			return fmt.Errorf("reading cluster: %w", err)
		}
		cl = stored
		g := st.Group
		g.ClusterID, g.ApplicationID, g.Account, g.Region = cl.ID, app.ID, st.Account, st.Region
		if g.LoadBalancers == nil {
			g.LoadBalancers = StringList{}
		}
		if g.CreatedAt.IsZero() {
			g.CreatedAt = now
		}
		var cur ServerGroup
		err := s.forUpdate(tx).Take(&cur, "account = ? AND region = ? AND name = ?", g.Account, g.Region, g.Name).Error
		switch {
		case err == gorm.ErrRecordNotFound:
			g.ID, g.UpdatedAt, g.Version = NewID(), now, 1
			if err := tx.Create(&g).Error; err != nil {
				return fmt.Errorf("creating server group: %w", translate(err))
			}
			changed = true
		case err != nil:
			return fmt.Errorf("reading server group: %w", err)
		default:
			g.ID, g.Version, g.UpdatedAt = cur.ID, cur.Version, cur.UpdatedAt
			if !sameServerGroup(cur, g) {
				g.Version, g.UpdatedAt, changed = cur.Version+1, now, true
				if err := tx.Model(&ServerGroup{}).Where("id = ?", g.ID).Select("*").Omit("id", "created_at").Updates(&g).Error; err != nil {
					return fmt.Errorf("updating server group: %w", err)
				}
			}
		}
		ic, err := s.syncInstances(tx, g.ID, st.Instances)
		if err != nil {
			return err
		}
		if ic && !changed {
			g.Version, g.UpdatedAt, changed = g.Version+1, now, true
			if err := tx.Model(&ServerGroup{}).Where("id = ?", g.ID).Updates(map[string]any{"version": g.Version, "updated_at": now}).Error; err != nil {
				return fmt.Errorf("updating server group version: %w", err)
			}
		}
		out = g
		return nil
	})
	return out, changed, err
}

func sameServerGroup(a, b ServerGroup) bool {
	ja, _ := a.Artifact.Value()
	jb, _ := b.Artifact.Value()
	la, _ := a.LoadBalancers.Value()
	lb, _ := b.LoadBalancers.Value()
	return a.CapacityMin == b.CapacityMin && a.CapacityDesired == b.CapacityDesired && a.CapacityMax == b.CapacityMax &&
		a.Enabled == b.Enabled && ja == jb && la == lb && string(a.ProviderState) == string(b.ProviderState) &&
		a.ClusterID == b.ClusterID && eqIntPtr(a.Sequence, b.Sequence)
}

func eqIntPtr(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// syncInstances makes the instances of a server group exactly want, reporting a change. On
// MySQL it reads with a lock, so that it sees instances another caching pass just wrote.
func (s *Store) syncInstances(tx *gorm.DB, sgID string, want []Instance) (bool, error) {
	var have []Instance
	if err := s.forUpdate(tx).Where("server_group_id = ?", sgID).Find(&have).Error; err != nil {
		return false, fmt.Errorf("reading instances: %w", err)
	}
	byID := make(map[string]Instance, len(have))
	for _, i := range have {
		byID[i.InstanceID] = i
	}
	changed := false
	keep := make(map[string]bool, len(want))
	for _, w := range want {
		keep[w.InstanceID] = true
		w.ServerGroupID = sgID
		cur, ok := byID[w.InstanceID]
		if !ok {
			w.ID = NewID()
			if err := tx.Create(&w).Error; err != nil {
				return false, fmt.Errorf("creating instance: %w", translate(err))
			}
			changed = true
			continue
		}
		if cur.Health != w.Health || cur.HealthDetail != w.HealthDetail || cur.Address != w.Address || cur.Zone != w.Zone {
			if err := tx.Model(&Instance{}).Where("id = ?", cur.ID).Updates(map[string]any{
				"health": w.Health, "health_detail": w.HealthDetail, "address": w.Address, "zone": w.Zone,
			}).Error; err != nil {
				return false, fmt.Errorf("updating instance: %w", err)
			}
			changed = true
		}
	}
	for _, h := range have {
		if !keep[h.InstanceID] {
			if err := tx.Delete(&Instance{}, "id = ?", h.ID).Error; err != nil {
				return false, fmt.Errorf("deleting instance: %w", err)
			}
			changed = true
		}
	}
	return changed, nil
}

// DeleteServerGroup removes a server group (and its instances) that the provider no longer
// reports. A missing one is not an error.
func (s *Store) DeleteServerGroup(ctx context.Context, id string) error {
	return translate(s.db.WithContext(ctx).Delete(&ServerGroup{}, "id = ?", id).Error)
}

// UpsertLoadBalancer writes what a provider reports of a load balancer. It returns the
// stored load balancer and whether anything changed (the version grows only then). The
// application must exist: a missing one is an ErrNotFound error.
func (s *Store) UpsertLoadBalancer(ctx context.Context, application string, lb LoadBalancer) (LoadBalancer, bool, error) {
	// As for server groups: the loser of two passes creating one load balancer tries again.
	for attempt := 0; ; attempt++ {
		out, changed, err := s.upsertLoadBalancer(ctx, application, lb)
		if attempt < 2 && errors.Is(err, ErrConflict) {
			continue
		}
		return out, changed, err
	}
}

func (s *Store) upsertLoadBalancer(ctx context.Context, application string, lb LoadBalancer) (LoadBalancer, bool, error) {
	changed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var app Application
		if err := tx.Take(&app, "name = ?", application).Error; err != nil {
			return fmt.Errorf("finding application %q: %w", application, translate(err))
		}
		lb.ApplicationID = app.ID
		if lb.Targets == nil {
			lb.Targets = Targets{}
		}
		// A locking read on MySQL, so that two passes never both move one version to the
		// next with different contents (subscribers keep the first they see of a version).
		var cur LoadBalancer // fresh: Take would filter by a set primary key
		err := s.forUpdate(tx).Take(&cur, "account = ? AND region = ? AND name = ?", lb.Account, lb.Region, lb.Name).Error
		now := time.Now().UTC()
		switch {
		case err == gorm.ErrRecordNotFound:
			lb.ID, lb.UpdatedAt, lb.Version = NewID(), now, 1
			changed = true
			if err := tx.Create(&lb).Error; err != nil {
				return fmt.Errorf("creating load balancer: %w", translate(err))
			}
			return nil
		case err != nil:
			return fmt.Errorf("reading load balancer: %w", err)
		}
		lb.ID, lb.Version, lb.UpdatedAt = cur.ID, cur.Version, cur.UpdatedAt
		ta, _ := cur.Targets.Value()
		tb, _ := lb.Targets.Value()
		if ta == tb && cur.Address == lb.Address && cur.ApplicationID == lb.ApplicationID {
			return nil
		}
		lb.Version, lb.UpdatedAt, changed = cur.Version+1, now, true
		return tx.Model(&LoadBalancer{}).Where("id = ?", lb.ID).Updates(map[string]any{
			"address": lb.Address, "targets": lb.Targets, "application_id": lb.ApplicationID,
			"updated_at": now, "version": lb.Version,
		}).Error
	})
	return lb, changed, translateTx(err)
}

// LoadBalancersOf returns the stored load balancers of an application in an account.
func (s *Store) LoadBalancersOf(ctx context.Context, account, app string) ([]LoadBalancer, error) {
	var out []LoadBalancer
	err := s.db.WithContext(ctx).
		Where("account = ? AND application_id = (SELECT id FROM applications WHERE name = ?)", account, app).
		Order("region, name").Find(&out).Error
	return out, translate(err)
}

// DeleteLoadBalancer removes a load balancer that the provider no longer reports. A missing
// one is not an error.
func (s *Store) DeleteLoadBalancer(ctx context.Context, id string) error {
	return translate(s.db.WithContext(ctx).Delete(&LoadBalancer{}, "id = ?", id).Error)
}

// ServerGroupsOf returns the stored server groups of an application in an account.
func (s *Store) ServerGroupsOf(ctx context.Context, account, app string) ([]ServerGroup, error) {
	var out []ServerGroup
	err := s.db.WithContext(ctx).Omit("provider_state").
		Where("account = ? AND application_id = (SELECT id FROM applications WHERE name = ?)", account, app).
		Find(&out).Error
	return out, translate(err)
}

// forUpdate makes a read in a transaction lock the rows it reads and see the latest
// committed ones (MySQL); SQLite's single writer needs no lock and has no such clause.
func (s *Store) forUpdate(tx *gorm.DB) *gorm.DB {
	if s.dialect == "sqlite" {
		return tx
	}
	return tx.Clauses(clause.Locking{Strength: "UPDATE"})
}
