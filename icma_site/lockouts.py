"""Sign-in lockouts (django-axes): who is locked out, and the admin page that lifts them.

A lockout is per user name *and* address: one person's typing mistakes must not lock a
colleague at the same office, nor the administrator who could lift the lockout. Against
password spraying (one address trying many user names) an address alone is locked too,
at a much higher count. A refused attempt while locked is not counted, so it does not
extend the lockout (settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
"""

from datetime import UTC

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q, Sum
from django.utils import timezone


def recent_attempts():
    """Failures within the cool-off: older ones no longer count."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())


def failures(attempts):
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def attempts_of(username, address):
    """(the user name's failures from this address, the address's failures), recent."""
    recent = recent_attempts()
    return recent.filter(username=username, ip_address=address), recent.filter(ip_address=address)


def failure_count(username, address):
    """The failures that count against this user name from this address, in units of
    AXES_FAILURE_LIMIT: the pair's own, or the address's scaled down by the ratio of the
    two limits, whichever is larger. So the count reaches AXES_FAILURE_LIMIT exactly when
    one of the two limits is reached, wherever django-axes compares it."""
    by_user, by_address = attempts_of(username, address)
    scaled = (
        failures(by_address) * settings.AXES_FAILURE_LIMIT // (settings.AXES_ADDRESS_FAILURE_LIMIT)
    )
    return max(failures(by_user), scaled)


def is_locked_out(username, address):
    return failure_count(username, address) >= settings.AXES_FAILURE_LIMIT


def locked_pairs():
    """{(user name, address)} locked out now, and {address} locked out whatever the user
    name, in two grouped queries."""
    recent = recent_attempts().order_by()
    pairs = {
        (row["username"], row["ip_address"])
        for row in recent.values("username", "ip_address").annotate(
            total=Sum("failures_since_start")
        )
        if row["total"] >= settings.AXES_FAILURE_LIMIT
    }
    addresses = {
        row["ip_address"]
        for row in recent.values("ip_address").annotate(total=Sum("failures_since_start"))
        if row["total"] >= settings.AXES_ADDRESS_FAILURE_LIMIT
    }
    return pairs, addresses


class StaffLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with the two limits above (settings.AXES_HANDLER)."""

    def get_failures(self, request, credentials=None):
        return failure_count(get_client_username(request, credentials), request.axes_ip_address)

    def reset_user_attempts(self, request, credentials=None):
        """A successful sign-in clears that user's failures from that address only: it
        must not wipe the address's count, or one valid account would reset the
        protection against spraying."""
        by_user, _ = attempts_of(get_client_username(request, credentials), request.axes_ip_address)
        count, _ = AccessAttempt.objects.filter(pk__in=by_user.values("pk")).delete()
        return count


class LockedOutFilter(admin.SimpleListFilter):
    title = "locked out now"
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", "Locked out now"), ("no", "Not locked out")]

    def queryset(self, request, queryset):
        if self.value() not in {"yes", "no"}:
            return queryset
        pairs, addresses = locked_pairs()
        locked = [
            pk
            for pk, username, address in recent_attempts().values_list(
                "pk", "username", "ip_address"
            )
            if (username, address) in pairs or address in addresses
        ]
        if self.value() == "yes":
            return queryset.filter(pk__in=locked)
        return queryset.exclude(pk__in=locked)


class FailedSignInAdmin(admin.ModelAdmin):
    """Failed sign-ins, for superusers only: who, from where, how many, whether that
    is a lockout now, and an action that lifts it (by forgetting the failures)."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "status"]
    list_display_links = None
    list_filter = [LockedOutFilter]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["lift_lockouts"]

    @admin.display(description="status")
    def status(self, attempt):
        if is_locked_out(attempt.username, attempt.ip_address):
            until = (attempt.attempt_time + get_cool_off()).astimezone(UTC)
            return f"Locked out until {until:%H:%M} UTC"
        return "Not locked out"

    @admin.action(description="Lift the lockout (forget these failed sign-ins)")
    def lift_lockouts(self, request, queryset):
        """Forget every failure of each selected user name from its address, and, where
        an address is locked out as a whole, every failure from that address: what the
        lockout counts, not only the rows ticked (django-axes keeps a row per browser)."""
        _, addresses = locked_pairs()
        selected = set(queryset.values_list("username", "ip_address").distinct())
        for username, address in selected:
            forgotten = Q(username=username, ip_address=address)
            if address in addresses:
                forgotten |= Q(ip_address=address)
            AccessAttempt.objects.filter(forgotten).delete()
        lifted = sorted(
            f"{username or 'no user name'} from {address}" for username, address in selected
        )
        still = sorted(
            f"{username} from {address}"
            for username, address in selected
            if is_locked_out(username, address)
        )
        message = f"Lifted: {', '.join(lifted)}; they can sign in again now."
        if still:
            message += f" Still locked out by another count: {', '.join(still)}."
        self.message_user(request, message, messages.SUCCESS)

    def index_name(self, request):
        return "Failed sign-ins and lockouts"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": self.index_name(request), **(extra_context or {})}
        )

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SignInLogAdmin(admin.ModelAdmin):
    """Successful sign-ins and sign-outs, for superusers only, read-only."""

    list_display = ["username", "ip_address", "attempt_time", "logout_time"]
    list_display_links = None
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    has_module_permission = FailedSignInAdmin.has_module_permission
    has_view_permission = FailedSignInAdmin.has_view_permission

    def index_name(self, request):
        return "Sign-ins"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": self.index_name(request), **(extra_context or {})}
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# How the admin's index and sidebar name django-axes' app.
APP_NAME = "Sign-in"
