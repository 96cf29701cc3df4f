package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
)

// PipelineTrigger indexes one enabled trigger of an enabled pipeline, so that the cron
// scheduler, pipeline triggers and the webhook endpoint read the few pipelines a trigger may
// fire, not every pipeline with its definition. SavePipeline keeps it in step with the
// definition in the same transaction.
type PipelineTrigger struct {
	PipelineID string `gorm:"primaryKey;size:36"`
	Position   int    `gorm:"primaryKey;autoIncrement:false"`
	Type       string `gorm:"size:32;not null"`
	// MatchKey is what a lookup matches: a webhook trigger's source, a pipeline trigger's
	// application; empty for the others.
	MatchKey string `gorm:"size:191;not null"`
}

// maxTriggerKey is the longest key kept; a lookup cuts its key the same way, and the caller
// checks the trigger itself on the pipelines found.
const maxTriggerKey = 191

func triggerKey(k string) string {
	if len(k) > maxTriggerKey {
		return k[:maxTriggerKey]
	}
	return k
}

// triggerIndex reads, of a definition, only what the index needs: whether the pipeline is
// disabled and its enabled triggers' types and keys (package pipeline owns their meaning).
func triggerIndex(pipelineID string, def RawJSON) []PipelineTrigger {
	var d struct {
		Disabled bool `json:"disabled"`
		Triggers []struct {
			Type    string         `json:"type"`
			Enabled bool           `json:"enabled"`
			Config  map[string]any `json:"config"`
		} `json:"triggers"`
	}
	if json.Unmarshal(def, &d) != nil || d.Disabled {
		return nil
	}
	var out []PipelineTrigger
	for i, t := range d.Triggers {
		if !t.Enabled || t.Type == "" {
			continue
		}
		key := ""
		switch t.Type {
		case "webhook":
			key, _ = t.Config["source"].(string)
		case "pipeline":
			key, _ = t.Config["application"].(string)
		}
		out = append(out, PipelineTrigger{PipelineID: pipelineID, Position: i, Type: triggerKey(t.Type), MatchKey: triggerKey(key)})
	}
	return out
}

// writeTriggerIndex replaces a pipeline's index rows with those of its definition.
func writeTriggerIndex(tx *gorm.DB, pipelineID string, def RawJSON) error {
	if err := tx.Where("pipeline_id = ?", pipelineID).Delete(&PipelineTrigger{}).Error; err != nil {
		return fmt.Errorf("indexing triggers: %w", err)
	}
	if rows := triggerIndex(pipelineID, def); len(rows) > 0 {
		if err := tx.Create(&rows).Error; err != nil {
			return fmt.Errorf("indexing triggers: %w", err)
		}
	}
	return tx.Model(&Pipeline{}).Where("id = ?", pipelineID).UpdateColumn("triggers_indexed", true).Error
}

// PipelinesWithTriggers lists the pipelines that have an enabled trigger of type typ (and,
// when key is not empty, of that key), enabled themselves, oldest first.
func (s *Store) PipelinesWithTriggers(ctx context.Context, typ, key string) ([]Pipeline, error) {
	sub := s.db.Model(&PipelineTrigger{}).Select("pipeline_id").Where("type = ?", triggerKey(typ))
	if key != "" {
		sub = sub.Where("match_key = ?", triggerKey(key))
	}
	var ps []Pipeline
	err := s.db.WithContext(ctx).Where("id IN (?)", sub).Order("id").Find(&ps).Error
	return ps, translate(err)
}

// indexTriggers indexes the triggers of pipelines saved before the index existed.
func (s *Store) indexTriggers(ctx context.Context) error {
	var ps []Pipeline
	if err := s.db.WithContext(ctx).Select("id", "definition").Where("triggers_indexed = ?", false).Find(&ps).Error; err != nil {
		return fmt.Errorf("listing pipelines to index: %w", err)
	}
	for _, p := range ps {
		if err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return writeTriggerIndex(tx, p.ID, p.Definition)
		}); err != nil {
			return err
		}
	}
	return nil
}
