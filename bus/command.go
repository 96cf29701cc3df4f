package bus

import (
	"encoding/json"
	"fmt"
)

// CommandType names what the engine is asked to do.
type CommandType string

// The engine's commands (Spinnaker's Orca queue messages, kept).
const (
	StartExecution    CommandType = "StartExecution"
	StartStage        CommandType = "StartStage"
	StartTask         CommandType = "StartTask"
	RunTask           CommandType = "RunTask"
	CompleteTask      CommandType = "CompleteTask"
	CompleteStage     CommandType = "CompleteStage"
	CompleteExecution CommandType = "CompleteExecution"
	CancelExecution   CommandType = "CancelExecution"
	PauseExecution    CommandType = "PauseExecution"
	ResumeExecution   CommandType = "ResumeExecution"
	RestartStage      CommandType = "RestartStage"
	SkipStage         CommandType = "SkipStage"
	JudgeStage        CommandType = "JudgeStage"
	StartWaiting      CommandType = "StartWaitingExecutions"
	// Notify sends a pipeline's notifications of one event.
	Notify CommandType = "Notify"
)

// Command is one message to the engine. ID is its de-duplication id, derived from what it
// does (e.g. "StartStage/<stage id>/<attempt>") so that re-sending after a crash is harmless.
type Command struct {
	ID          string      `json:"id"`
	Type        CommandType `json:"type"`
	ExecutionID string      `json:"executionId"`
	StageID     string      `json:"stageId,omitempty"`
	TaskID      string      `json:"taskId,omitempty"`
	// Attempt is the stage's attempt the command belongs to; a command of an older attempt
	// (the stage was restarted since) is dropped.
	Attempt int             `json:"attempt,omitempty"`
	User    string          `json:"user,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Decode parses a command, refusing anything without a known type and an execution.
func Decode(data []byte) (Command, error) {
	var c Command
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("%w: %v", ErrUndecodable, err)
	}
	if c.ExecutionID == "" || c.Type == "" {
		return c, fmt.Errorf("%w: missing type or execution id", ErrUndecodable)
	}
	return c, nil
}
