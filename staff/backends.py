"""Log in with a username or with an 18-digit NIP (spaces allowed: "19860926 201505 1 001")."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model

from situok.backends import CachedPermissionsBackend


class UsernameOrNipBackend(CachedPermissionsBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        compact = re.sub(r"\s+", "", username)
        if re.fullmatch(r"\d{18}", compact):
            user = get_user_model().objects.filter(employee__nip=compact).first()
            if user is None:
                # Same cost as a real check, so timing does not reveal which NIPs exist.
                get_user_model()().set_password(password)
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
