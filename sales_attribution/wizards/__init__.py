from . import event_gift_wizard
