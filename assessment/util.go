package assessment

import (
	"errors"
	"time"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

type timeT = time.Time

type notifyMessage = notify.Message
type hrDate = hr.Date
