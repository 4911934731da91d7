// Copyright 2014-2021 The winit contributors
// Copyright 2021-2023 Tauri Programme within The Commons Conservancy
// SPDX-License-Identifier: Apache-2.0

#![deny(unused_results)]

use std::{
  cell::{RefCell, RefMut},
  collections::HashSet,
  mem,
  os::raw::c_void,
  ptr,
  time::Instant,
};

use objc2::{rc::Retained, runtime::AnyObject, MainThreadMarker, Message};
use objc2_foundation::NSObjectProtocol;
use objc2_ui_kit::{UIApplication, UIScene, UISceneConnectionOptions, UIWindowScene};

use crate::{
  dpi::LogicalSize,
  event::{Event, StartCause, WindowEvent},
  event_loop::ControlFlow,
  platform_impl::platform::{
    event_loop::{EventHandler, EventProxy, EventWrapper},
    ffi::{
      id, kCFRunLoopCommonModes, CFAbsoluteTimeGetCurrent, CFRelease, CFRunLoopAddTimer,
      CFRunLoopGetMain, CFRunLoopRef, CFRunLoopTimerCreate, CFRunLoopTimerInvalidate,
      CFRunLoopTimerRef, CFRunLoopTimerSetNextFireDate, CGRect, CGSize, NSInteger,
      NSOperatingSystemVersion, NSUInteger,
    },
    scene::scene_lifecycle_enabled,
  },
  window::WindowId as RootWindowId,
};

macro_rules! bug {
    ($($msg:tt)*) => {
        panic!("tao iOS bug, file an issue: {}", format!($($msg)*))
    };
}

macro_rules! bug_assert {
    ($test:expr, $($msg:tt)*) => {
        assert!($test, "tao iOS bug, file an issue: {}", format!($($msg)*))
    };
}

enum UserCallbackTransitionResult<'a> {
  Success {
    event_handler: Box<dyn EventHandler>,
    active_control_flow: ControlFlow,
    processing_redraws: bool,
  },
  ReentrancyPrevented {
    queued_events: &'a mut Vec<EventWrapper>,
  },
}

// this is the state machine for the app lifecycle
#[derive(Debug)]
#[must_use = "dropping `AppStateImpl` without inspecting it is probably a bug"]
enum AppStateImpl {
  NotLaunched {
    queued_windows: Vec<id>,
    queued_events: Vec<EventWrapper>,
    queued_gpu_redraws: HashSet<id>,
  },
  Launching {
    queued_windows: Vec<id>,
    queued_events: Vec<EventWrapper>,
    queued_event_handler: Box<dyn EventHandler>,
    queued_gpu_redraws: HashSet<id>,
  },
  ProcessingEvents {
    event_handler: Box<dyn EventHandler>,
    queued_gpu_redraws: HashSet<id>,
    active_control_flow: ControlFlow,
  },
  // special state to deal with reentrancy and prevent mutable aliasing.
  InUserCallback {
    queued_events: Vec<EventWrapper>,
    queued_gpu_redraws: HashSet<id>,
  },
  ProcessingRedraws {
    event_handler: Box<dyn EventHandler>,
    active_control_flow: ControlFlow,
  },
  Waiting {
    waiting_event_handler: Box<dyn EventHandler>,
    start: Instant,
  },
  PollFinished {
    waiting_event_handler: Box<dyn EventHandler>,
  },
  Terminated,
}

struct AppState {
  // This should never be `None`, except for briefly during a state transition.
  app_state: Option<AppStateImpl>,
  control_flow: ControlFlow,
  waker: EventLoopWaker,
  // Stores the UIWindow instances that do not have a scene assigned yet
  // Window::new might create a window before a scene is ready for it,
  // requesting a new scene to be activated and deferring the setWindowScene call to the scene delegate
  windows_for_next_scenes: Vec<id>,
  // Stores the UIWindow instances that were created while the app had no connected scene.
  // The system can run an app on the scene lifecycle even when its Info.plist does not
  // adopt it, in which case the windows are created before the first scene connects
  scene_less_windows: Vec<id>,
  did_first_scene_connect: bool,
  // set once the queued windows were flushed and `StartCause::Init` was emitted,
  // either from the application delegate or from the first scene connection
  is_app_ready: bool,
}

impl Drop for AppState {
  fn drop(&mut self) {
    match self.state_mut() {
      &mut AppStateImpl::NotLaunched {
        ref mut queued_windows,
        ..
      }
      | &mut AppStateImpl::Launching {
        ref mut queued_windows,
        ..
      } => {
        for &mut window in queued_windows {
          unsafe {
            let () = msg_send![window, release];
          }
        }
      }
      _ => {}
    }
  }
}

impl AppState {
  // requires main thread
  unsafe fn get_mut() -> RefMut<'static, AppState> {
    // basically everything in UIKit requires the main thread, so it's pointless to use the
    // std::sync APIs.
    // must be mut because plain `static` requires `Sync`
    static mut APP_STATE: RefCell<Option<AppState>> = RefCell::new(None);

    if cfg!(debug_assertions) {
      assert_main_thread!(
        "bug in tao: `AppState::get_mut()` can only be called on the main thread"
      );
    }
    let mut guard = APP_STATE.borrow_mut();
    if guard.is_none() {
      #[inline(never)]
      #[cold]
      unsafe fn init_guard(guard: &mut RefMut<'static, Option<AppState>>) {
        let waker = EventLoopWaker::new(CFRunLoopGetMain());
        **guard = Some(AppState {
          app_state: Some(AppStateImpl::NotLaunched {
            queued_windows: Vec::new(),
            queued_events: Vec::new(),
            queued_gpu_redraws: HashSet::new(),
          }),
          control_flow: ControlFlow::default(),
          waker,
          windows_for_next_scenes: Vec::new(),
          scene_less_windows: Vec::new(),
          did_first_scene_connect: false,
          is_app_ready: false,
        });
      }
      init_guard(&mut guard)
    }
    RefMut::map(guard, |state| state.as_mut().unwrap())
  }

  fn state(&self) -> &AppStateImpl {
    match &self.app_state {
      Some(ref state) => state,
      None => bug!("`AppState` previously failed a state transition"),
    }
  }

  fn state_mut(&mut self) -> &mut AppStateImpl {
    match &mut self.app_state {
      Some(ref mut state) => state,
      None => bug!("`AppState` previously failed a state transition"),
    }
  }

  fn take_state(&mut self) -> AppStateImpl {
    match self.app_state.take() {
      Some(state) => state,
      None => bug!("`AppState` previously failed a state transition"),
    }
  }

  fn set_state(&mut self, new_state: AppStateImpl) {
    bug_assert!(
      self.app_state.is_none(),
      "attempted to set an `AppState` without calling `take_state` first {:?}",
      self.app_state
    );
    self.app_state = Some(new_state)
  }

  fn replace_state(&mut self, new_state: AppStateImpl) -> AppStateImpl {
    match &mut self.app_state {
      Some(ref mut state) => mem::replace(state, new_state),
      None => bug!("`AppState` previously failed a state transition"),
    }
  }

  fn has_launched(&self) -> bool {
    !matches!(
      self.state(),
      &AppStateImpl::NotLaunched { .. } | &AppStateImpl::Launching { .. }
    )
  }

  fn will_launch_transition(&mut self, queued_event_handler: Box<dyn EventHandler>) {
    let (queued_windows, queued_events, queued_gpu_redraws) = match self.take_state() {
      AppStateImpl::NotLaunched {
        queued_windows,
        queued_events,
        queued_gpu_redraws,
      } => (queued_windows, queued_events, queued_gpu_redraws),
      s => bug!("unexpected state {:?}", s),
    };
    self.set_state(AppStateImpl::Launching {
      queued_windows,
      queued_events,
      queued_event_handler,
      queued_gpu_redraws,
    });
  }

  fn did_finish_launching_transition(&mut self) -> (Vec<id>, Vec<EventWrapper>) {
    let (windows, events, event_handler, queued_gpu_redraws) = match self.take_state() {
      AppStateImpl::Launching {
        queued_windows,
        queued_events,
        queued_event_handler,
        queued_gpu_redraws,
      } => (
        queued_windows,
        queued_events,
        queued_event_handler,
        queued_gpu_redraws,
      ),
      s => bug!("unexpected state {:?}", s),
    };
    self.set_state(AppStateImpl::ProcessingEvents {
      event_handler,
      active_control_flow: ControlFlow::Poll,
      queued_gpu_redraws,
    });
    (windows, events)
  }

  fn wakeup_transition(&mut self) -> Option<EventWrapper> {
    // before `AppState::did_finish_launching` is called, pretend there is no running
    // event loop.
    if !self.has_launched() {
      return None;
    }

    let (event_handler, event) = match (self.control_flow, self.take_state()) {
      (
        ControlFlow::Poll,
        AppStateImpl::PollFinished {
          waiting_event_handler,
        },
      ) => (
        waiting_event_handler,
        EventWrapper::StaticEvent(Event::NewEvents(StartCause::Poll)),
      ),
      (
        ControlFlow::Wait,
        AppStateImpl::Waiting {
          waiting_event_handler,
          start,
        },
      ) => (
        waiting_event_handler,
        EventWrapper::StaticEvent(Event::NewEvents(StartCause::WaitCancelled {
          start,
          requested_resume: None,
        })),
      ),
      (
        ControlFlow::WaitUntil(requested_resume),
        AppStateImpl::Waiting {
          waiting_event_handler,
          start,
        },
      ) => {
        let event = if Instant::now() >= requested_resume {
          EventWrapper::StaticEvent(Event::NewEvents(StartCause::ResumeTimeReached {
            start,
            requested_resume,
          }))
        } else {
          EventWrapper::StaticEvent(Event::NewEvents(StartCause::WaitCancelled {
            start,
            requested_resume: Some(requested_resume),
          }))
        };
        (waiting_event_handler, event)
      }
      (ControlFlow::ExitWithCode(_), _) => bug!("unexpected `ControlFlow` `Exit`"),
      s => bug!("`EventHandler` unexpectedly woke up {:?}", s),
    };

    self.set_state(AppStateImpl::ProcessingEvents {
      event_handler,
      queued_gpu_redraws: Default::default(),
      active_control_flow: self.control_flow,
    });
    Some(event)
  }

  fn try_user_callback_transition(&mut self) -> UserCallbackTransitionResult<'_> {
    // If we're not able to process an event due to recursion or `Init` not having been sent out
    // yet, then queue the events up.
    match self.state_mut() {
      &mut AppStateImpl::Launching {
        ref mut queued_events,
        ..
      }
      | &mut AppStateImpl::NotLaunched {
        ref mut queued_events,
        ..
      }
      | &mut AppStateImpl::InUserCallback {
        ref mut queued_events,
        ..
      } => {
        // A lifetime cast: early returns are not currently handled well with NLL, but
        // polonius handles them well. This transmute is a safe workaround.
        return unsafe {
          mem::transmute::<UserCallbackTransitionResult<'_>, UserCallbackTransitionResult<'_>>(
            UserCallbackTransitionResult::ReentrancyPrevented { queued_events },
          )
        };
      }

      &mut AppStateImpl::ProcessingEvents { .. } | &mut AppStateImpl::ProcessingRedraws { .. } => {}

      s @ &mut AppStateImpl::PollFinished { .. }
      | s @ &mut AppStateImpl::Waiting { .. }
      | s @ &mut AppStateImpl::Terminated => {
        bug!("unexpected attempted to process an event {:?}", s)
      }
    }

    let (event_handler, queued_gpu_redraws, active_control_flow, processing_redraws) =
      match self.take_state() {
        AppStateImpl::Launching { .. }
        | AppStateImpl::NotLaunched { .. }
        | AppStateImpl::InUserCallback { .. } => unreachable!(),
        AppStateImpl::ProcessingEvents {
          event_handler,
          queued_gpu_redraws,
          active_control_flow,
        } => (
          event_handler,
          queued_gpu_redraws,
          active_control_flow,
          false,
        ),
        AppStateImpl::ProcessingRedraws {
          event_handler,
          active_control_flow,
        } => (event_handler, Default::default(), active_control_flow, true),
        AppStateImpl::PollFinished { .. }
        | AppStateImpl::Waiting { .. }
        | AppStateImpl::Terminated => unreachable!(),
      };
    self.set_state(AppStateImpl::InUserCallback {
      queued_events: Vec::new(),
      queued_gpu_redraws,
    });
    UserCallbackTransitionResult::Success {
      event_handler,
      active_control_flow,
      processing_redraws,
    }
  }

  fn main_events_cleared_transition(&mut self) -> HashSet<id> {
    let (event_handler, queued_gpu_redraws, active_control_flow) = match self.take_state() {
      AppStateImpl::ProcessingEvents {
        event_handler,
        queued_gpu_redraws,
        active_control_flow,
      } => (event_handler, queued_gpu_redraws, active_control_flow),
      s => bug!("unexpected state {:?}", s),
    };
    self.set_state(AppStateImpl::ProcessingRedraws {
      event_handler,
      active_control_flow,
    });
    queued_gpu_redraws
  }

  fn events_cleared_transition(&mut self) {
    if !self.has_launched() {
      return;
    }
    let (waiting_event_handler, old) = match self.take_state() {
      AppStateImpl::ProcessingRedraws {
        event_handler,
        active_control_flow,
      } => (event_handler, active_control_flow),
      s => bug!("unexpected state {:?}", s),
    };

    let new = self.control_flow;
    match (old, new) {
      (ControlFlow::Poll, ControlFlow::Poll) => self.set_state(AppStateImpl::PollFinished {
        waiting_event_handler,
      }),
      (ControlFlow::Wait, ControlFlow::Wait) => {
        let start = Instant::now();
        self.set_state(AppStateImpl::Waiting {
          waiting_event_handler,
          start,
        });
      }
      (ControlFlow::WaitUntil(old_instant), ControlFlow::WaitUntil(new_instant))
        if old_instant == new_instant =>
      {
        let start = Instant::now();
        self.set_state(AppStateImpl::Waiting {
          waiting_event_handler,
          start,
        });
      }
      (_, ControlFlow::Wait) => {
        let start = Instant::now();
        self.set_state(AppStateImpl::Waiting {
          waiting_event_handler,
          start,
        });
        self.waker.stop()
      }
      (_, ControlFlow::WaitUntil(new_instant)) => {
        let start = Instant::now();
        self.set_state(AppStateImpl::Waiting {
          waiting_event_handler,
          start,
        });
        self.waker.start_at(new_instant)
      }
      (_, ControlFlow::Poll) => {
        self.set_state(AppStateImpl::PollFinished {
          waiting_event_handler,
        });
        self.waker.start()
      }
      (_, ControlFlow::ExitWithCode(_)) => {
        // https://developer.apple.com/library/archive/qa/qa1561/_index.html
        // it is not possible to quit an iOS app gracefully and programatically
        warn!("`ControlFlow::Exit` ignored on iOS");
        self.control_flow = old
      }
    }
  }

  fn terminated_transition(&mut self) -> Box<dyn EventHandler> {
    match self.replace_state(AppStateImpl::Terminated) {
      AppStateImpl::ProcessingEvents { event_handler, .. } => event_handler,
      s => bug!(
        "`LoopDestroyed` happened while not processing events {:?}",
        s
      ),
    }
  }
}

// tries to find an unitialized scene (no windows)
pub unsafe fn unitialized_scene() -> Option<Retained<UIWindowScene>> {
  let mtm = MainThreadMarker::new().unwrap();
  let application = UIApplication::sharedApplication(mtm);
  for scene in application.connectedScenes().iter() {
    if let Some(window_scene) = scene.downcast_ref::<UIWindowScene>() {
      if window_scene.windows().count() == 0 {
        return Some(window_scene.retain());
      }
    }
  }

  None
}

// the first connected scene that is able to display windows
pub unsafe fn first_window_scene() -> Option<Retained<UIWindowScene>> {
  let mtm = MainThreadMarker::new().unwrap();
  let application = UIApplication::sharedApplication(mtm);
  application
    .connectedScenes()
    .iter()
    .find_map(|scene| scene.downcast_ref::<UIWindowScene>().map(|s| s.retain()))
}

pub unsafe fn scene_by_id(id: &str) -> Option<Retained<UIScene>> {
  let mtm = MainThreadMarker::new().unwrap();
  let application = UIApplication::sharedApplication(mtm);
  for scene in application.connectedScenes().iter() {
    let scene_id = scene.session().persistentIdentifier().to_string();
    if scene_id == id {
      return Some(scene);
    }
  }
  None
}

pub unsafe fn connect_scene(scene: &UIScene, options: &UISceneConnectionOptions) {
  let did_first_scene_connect = AppState::get_mut().did_first_scene_connect;
  let is_first_scene = !did_first_scene_connect;
  // on scene mode, we run on_app_ready() when the main scene is connected
  // instead of on AppDelegate::didFinishLaunching
  // this optimizes app startup, since the first created window can immediately see the main scene
  // instead of having to create a new one (since it can't synchronously wait for it to be connected)
  if !did_first_scene_connect {
    AppState::get_mut().did_first_scene_connect = true;
    on_app_ready();
  }

  if let Some(window_scene) = scene.downcast_ref::<UIWindowScene>() {
    let window = {
      let mut this = AppState::get_mut();
      if this.windows_for_next_scenes.is_empty() {
        None
      } else {
        Some(this.windows_for_next_scenes.remove(0))
      }
    };
    if let Some(window) = window {
      let () = msg_send![window, setWindowScene: window_scene];
      let () = msg_send![window, release];
    } else if !is_first_scene {
      // only emit the SceneRequest event for scenes that were not requested by a tao window
      // also ignore the main scene
      handle_nonuser_event(EventWrapper::StaticEvent(Event::SceneRequested {
        scene: scene.retain(),
        options: options.retain(),
      }));
    }

    // windows that were created before any scene existed are only ever displayed once
    // they join one, so the first scene to connect adopts all of them
    let scene_less_windows = mem::take(&mut AppState::get_mut().scene_less_windows);
    for window in scene_less_windows {
      // the system might have attached the window to a scene on its own already
      let assigned_scene: id = msg_send![window, windowScene];
      if assigned_scene.is_null() {
        let () = msg_send![window, setWindowScene: window_scene];
      }
      let () = msg_send![window, release];
    }
  }
}

pub unsafe fn register_window_for_scene(window: id) {
  AppState::get_mut()
    .windows_for_next_scenes
    .push(msg_send![window, retain]);
}

// retains window
pub unsafe fn register_scene_less_window(window: id) {
  AppState::get_mut()
    .scene_less_windows
    .push(msg_send![window, retain]);
}

pub unsafe fn did_first_scene_connect() -> bool {
  AppState::get_mut().did_first_scene_connect
}

// requires main thread and window is a UIWindow
// retains window
pub unsafe fn set_key_window(window: id) {
  bug_assert!(
    msg_send![window, isKindOfClass: class!(UIWindow)],
    "set_key_window called with an incorrect type"
  );
  let mut this = AppState::get_mut();
  match this.state_mut() {
    &mut AppStateImpl::NotLaunched {
      ref mut queued_windows,
      ..
    } => return queued_windows.push(msg_send![window, retain]),
    &mut AppStateImpl::ProcessingEvents { .. }
    | &mut AppStateImpl::InUserCallback { .. }
    | &mut AppStateImpl::ProcessingRedraws { .. } => {}
    s @ &mut AppStateImpl::Launching { .. }
    | s @ &mut AppStateImpl::Waiting { .. }
    | s @ &mut AppStateImpl::PollFinished { .. } => bug!("unexpected state {:?}", s),
    &mut AppStateImpl::Terminated => {
      panic!("Attempt to create a `Window` after the app has terminated")
    }
  }
  drop(this);
  msg_send![window, makeKeyAndVisible]
}

// requires main thread and window is a UIWindow
// retains window
pub unsafe fn queue_gl_or_metal_redraw(window: id) {
  bug_assert!(
    msg_send![window, isKindOfClass: class!(UIWindow)],
    "set_key_window called with an incorrect type"
  );
  let mut this = AppState::get_mut();
  match this.state_mut() {
    &mut AppStateImpl::NotLaunched {
      ref mut queued_gpu_redraws,
      ..
    }
    | &mut AppStateImpl::Launching {
      ref mut queued_gpu_redraws,
      ..
    }
    | &mut AppStateImpl::ProcessingEvents {
      ref mut queued_gpu_redraws,
      ..
    }
    | &mut AppStateImpl::InUserCallback {
      ref mut queued_gpu_redraws,
      ..
    } => drop(queued_gpu_redraws.insert(window)),
    s @ &mut AppStateImpl::ProcessingRedraws { .. }
    | s @ &mut AppStateImpl::Waiting { .. }
    | s @ &mut AppStateImpl::PollFinished { .. } => bug!("unexpected state {:?}", s),
    &mut AppStateImpl::Terminated => {
      panic!("Attempt to create a `Window` after the app has terminated")
    }
  }
  drop(this);
}

// requires main thread
pub unsafe fn will_launch(queued_event_handler: Box<dyn EventHandler>) {
  AppState::get_mut().will_launch_transition(queued_event_handler)
}

// requires main thread
pub unsafe fn did_finish_launching() {
  // when app is run in scenes lifecycle mode, we defer the did_finish_launching call to the first scene setup
  if !scene_lifecycle_enabled() {
    on_app_ready();
  }
}

unsafe fn on_app_ready() {
  let mut this = AppState::get_mut();
  // an app whose Info.plist does not declare a scene manifest is set up on
  // `didFinishLaunchingWithOptions:` but can still be given a scene by the system,
  // in which case the scene connection must not run this a second time
  if this.is_app_ready {
    return;
  }
  this.is_app_ready = true;
  let windows = match this.state_mut() {
    AppStateImpl::Launching { queued_windows, .. } => mem::take(queued_windows),
    s => bug!("unexpected state {:?}", s),
  };

  // start waking up the event loop now!
  bug_assert!(
    this.control_flow == ControlFlow::Poll,
    "unexpectedly not setup to `Poll` on launch!"
  );
  this.waker.start();

  // have to drop RefMut because the window setup code below can trigger new events
  drop(this);

  for window in windows {
    let count: NSUInteger = msg_send![window, retainCount];
    // make sure the window is still referenced
    if count > 1 {
      // Do a little screen dance here to account for windows being created before
      // `UIApplicationMain` is called. This fixes visual issues such as being
      // offcenter and sized incorrectly. Additionally, to fix orientation issues, we
      // gotta reset the `rootViewController`.
      //
      // relevant iOS log:
      // ```
      // [ApplicationLifecycle] Windows were created before application initialization
      // completed. This may result in incorrect visual appearance.
      // ```
      let screen: id = msg_send![window, screen];
      let _: id = msg_send![screen, retain];
      let () = msg_send![window, setScreen:0 as id];
      let () = msg_send![window, setScreen: screen];
      let () = msg_send![screen, release];
      let controller: id = msg_send![window, rootViewController];
      let () = msg_send![window, setRootViewController: ptr::null::<AnyObject>()];
      let () = msg_send![window, setRootViewController: controller];
      let () = msg_send![window, makeKeyAndVisible];
    }
    let () = msg_send![window, release];
  }

  let (windows, events) = AppState::get_mut().did_finish_launching_transition();

  let events = std::iter::once(EventWrapper::StaticEvent(Event::NewEvents(
    StartCause::Init,
  )))
  .chain(events);
  handle_nonuser_events(events);

  // the above window dance hack, could possibly trigger new windows to be created.
  // we can just set those windows up normally, as they were created after didFinishLaunching
  // so the app window can attach to it directly
  for window in windows {
    let count: NSUInteger = msg_send![window, retainCount];
    // make sure the window is still referenced
    if count > 1 {
      let () = msg_send![window, makeKeyAndVisible];
    }
    let () = msg_send![window, release];
  }
}

// requires main thread
// AppState::did_finish_launching handles the special transition `Init`
pub unsafe fn handle_wakeup_transition() {
  let mut this = AppState::get_mut();
  let wakeup_event = match this.wakeup_transition() {
    None => return,
    Some(wakeup_event) => wakeup_event,
  };
  drop(this);

  handle_nonuser_event(wakeup_event)
}

// requires main thread
pub unsafe fn handle_nonuser_event(event: EventWrapper) {
  handle_nonuser_events(std::iter::once(event))
}

// requires main thread
pub unsafe fn handle_nonuser_events<I: IntoIterator<Item = EventWrapper>>(events: I) {
  let mut this = AppState::get_mut();
  let (mut event_handler, active_control_flow, processing_redraws) =
    match this.try_user_callback_transition() {
      UserCallbackTransitionResult::ReentrancyPrevented { queued_events } => {
        queued_events.extend(events);
        return;
      }
      UserCallbackTransitionResult::Success {
        event_handler,
        active_control_flow,
        processing_redraws,
      } => (event_handler, active_control_flow, processing_redraws),
    };
  let mut control_flow = this.control_flow;
  drop(this);

  for wrapper in events {
    match wrapper {
      EventWrapper::StaticEvent(event) => {
        event_handler.handle_nonuser_event(event, &mut control_flow)
      }
      EventWrapper::EventProxy(proxy) => {
        handle_event_proxy(&mut event_handler, control_flow, proxy)
      }
    }
  }

  loop {
    let mut this = AppState::get_mut();
    let queued_events = match this.state_mut() {
      &mut AppStateImpl::InUserCallback {
        ref mut queued_events,
        queued_gpu_redraws: _,
      } => mem::take(queued_events),
      s => bug!("unexpected state {:?}", s),
    };
    if queued_events.is_empty() {
      let queued_gpu_redraws = match this.take_state() {
        AppStateImpl::InUserCallback {
          queued_events: _,
          queued_gpu_redraws,
        } => queued_gpu_redraws,
        _ => unreachable!(),
      };
      this.app_state = Some(if processing_redraws {
        bug_assert!(
          queued_gpu_redraws.is_empty(),
          "redraw queued while processing redraws"
        );
        AppStateImpl::ProcessingRedraws {
          event_handler,
          active_control_flow,
        }
      } else {
        AppStateImpl::ProcessingEvents {
          event_handler,
          queued_gpu_redraws,
          active_control_flow,
        }
      });
      this.control_flow = control_flow;
      break;
    }
    drop(this);

    for wrapper in queued_events {
      match wrapper {
        EventWrapper::StaticEvent(event) => {
          event_handler.handle_nonuser_event(event, &mut control_flow)
        }
        EventWrapper::EventProxy(proxy) => {
          handle_event_proxy(&mut event_handler, control_flow, proxy)
        }
      }
    }
  }
}

// requires main thread
unsafe fn handle_user_events() {
  let mut this = AppState::get_mut();
  let mut control_flow = this.control_flow;
  let (mut event_handler, active_control_flow, processing_redraws) =
    match this.try_user_callback_transition() {
      UserCallbackTransitionResult::ReentrancyPrevented { .. } => {
        bug!("unexpected attempted to process an event")
      }
      UserCallbackTransitionResult::Success {
        event_handler,
        active_control_flow,
        processing_redraws,
      } => (event_handler, active_control_flow, processing_redraws),
    };
  if processing_redraws {
    bug!("user events attempted to be sent out while `ProcessingRedraws`");
  }
  drop(this);

  event_handler.handle_user_events(&mut control_flow);

  loop {
    let mut this = AppState::get_mut();
    let queued_events = match this.state_mut() {
      &mut AppStateImpl::InUserCallback {
        ref mut queued_events,
        queued_gpu_redraws: _,
      } => mem::take(queued_events),
      s => bug!("unexpected state {:?}", s),
    };
    if queued_events.is_empty() {
      let queued_gpu_redraws = match this.take_state() {
        AppStateImpl::InUserCallback {
          queued_events: _,
          queued_gpu_redraws,
        } => queued_gpu_redraws,
        _ => unreachable!(),
      };
      this.app_state = Some(AppStateImpl::ProcessingEvents {
        event_handler,
        queued_gpu_redraws,
        active_control_flow,
      });
      this.control_flow = control_flow;
      break;
    }
    drop(this);

    for wrapper in queued_events {
      match wrapper {
        EventWrapper::StaticEvent(event) => {
          event_handler.handle_nonuser_event(event, &mut control_flow)
        }
        EventWrapper::EventProxy(proxy) => {
          handle_event_proxy(&mut event_handler, control_flow, proxy)
        }
      }
    }
    event_handler.handle_user_events(&mut control_flow);
  }
}

// requires main thread
pub unsafe fn handle_main_events_cleared() {
  let mut this = AppState::get_mut();
  if !this.has_launched() {
    return;
  }
  match this.state_mut() {
    &mut AppStateImpl::ProcessingEvents { .. } => {}
    _ => bug!("`ProcessingRedraws` happened unexpectedly"),
  };
  drop(this);

  // User events are always sent out at the end of the "MainEventLoop"
  handle_user_events();
  handle_nonuser_event(EventWrapper::StaticEvent(Event::MainEventsCleared));

  let mut this = AppState::get_mut();
  let mut redraw_events: Vec<EventWrapper> = this
    .main_events_cleared_transition()
    .into_iter()
    .map(|window| EventWrapper::StaticEvent(Event::RedrawRequested(RootWindowId(window.into()))))
    .collect();

  if !redraw_events.is_empty() {
    redraw_events.push(EventWrapper::StaticEvent(Event::RedrawEventsCleared));
  }
  drop(this);

  handle_nonuser_events(redraw_events);
}

// requires main thread
pub unsafe fn handle_events_cleared() {
  AppState::get_mut().events_cleared_transition();
}

// requires main thread
pub unsafe fn is_terminated() -> bool {
  matches!(AppState::get_mut().state(), AppStateImpl::Terminated)
}

// requires main thread
pub unsafe fn terminated() {
  let mut this = AppState::get_mut();
  let mut event_handler = this.terminated_transition();
  let mut control_flow = this.control_flow;
  drop(this);

  event_handler.handle_nonuser_event(Event::LoopDestroyed, &mut control_flow)
}

fn handle_event_proxy(
  event_handler: &mut Box<dyn EventHandler>,
  control_flow: ControlFlow,
  proxy: EventProxy,
) {
  match proxy {
    EventProxy::DpiChangedProxy {
      suggested_size,
      scale_factor,
      window_id,
    } => handle_hidpi_proxy(
      event_handler,
      control_flow,
      suggested_size,
      scale_factor,
      window_id,
    ),
  }
}

fn handle_hidpi_proxy(
  event_handler: &mut Box<dyn EventHandler>,
  mut control_flow: ControlFlow,
  suggested_size: LogicalSize<f64>,
  scale_factor: f64,
  window_id: id,
) {
  let mut size = suggested_size.to_physical(scale_factor);
  let new_inner_size = &mut size;
  let event = Event::WindowEvent {
    window_id: RootWindowId(window_id.into()),
    event: WindowEvent::ScaleFactorChanged {
      scale_factor,
      new_inner_size,
    },
  };
  event_handler.handle_nonuser_event(event, &mut control_flow);
  let (view, screen_frame) = get_view_and_screen_frame(window_id);
  let physical_size = *new_inner_size;
  let logical_size = physical_size.to_logical(scale_factor);
  let size = CGSize::new(logical_size);
  let new_frame: CGRect = CGRect::new(screen_frame.origin, size);
  unsafe {
    let () = msg_send![view, setFrame: new_frame];
  }
}

fn get_view_and_screen_frame(window_id: id) -> (id, CGRect) {
  unsafe {
    let view_controller: id = msg_send![window_id, rootViewController];
    let view: id = msg_send![view_controller, view];
    let bounds: CGRect = msg_send![window_id, bounds];
    let screen: id = msg_send![window_id, screen];
    let screen_space: id = msg_send![screen, coordinateSpace];
    let screen_frame: CGRect =
      msg_send![window_id, convertRect:bounds, toCoordinateSpace:screen_space];
    (view, screen_frame)
  }
}

struct EventLoopWaker {
  timer: CFRunLoopTimerRef,
}

impl Drop for EventLoopWaker {
  fn drop(&mut self) {
    unsafe {
      CFRunLoopTimerInvalidate(self.timer);
      CFRelease(self.timer as _);
    }
  }
}

impl EventLoopWaker {
  fn new(rl: CFRunLoopRef) -> EventLoopWaker {
    extern "C-unwind" fn wakeup_main_loop(_timer: CFRunLoopTimerRef, _info: *mut c_void) {}
    unsafe {
      // Create a timer with a 0.1µs interval (1ns does not work) to mimic polling.
      // It is initially setup with a first fire time really far into the
      // future, but that gets changed to fire immediately in did_finish_launching
      let timer = CFRunLoopTimerCreate(
        ptr::null_mut(),
        f64::MAX,
        0.000_000_1,
        0,
        0,
        wakeup_main_loop,
        ptr::null_mut(),
      );
      CFRunLoopAddTimer(rl, timer, kCFRunLoopCommonModes);

      EventLoopWaker { timer }
    }
  }

  fn stop(&mut self) {
    unsafe { CFRunLoopTimerSetNextFireDate(self.timer, f64::MAX) }
  }

  fn start(&mut self) {
    unsafe { CFRunLoopTimerSetNextFireDate(self.timer, f64::MIN) }
  }

  fn start_at(&mut self, instant: Instant) {
    let now = Instant::now();
    if now >= instant {
      self.start();
    } else {
      unsafe {
        let current = CFAbsoluteTimeGetCurrent();
        let duration = instant - now;
        let fsecs = duration.subsec_nanos() as f64 / 1_000_000_000.0 + duration.as_secs() as f64;
        CFRunLoopTimerSetNextFireDate(self.timer, current + fsecs)
      }
    }
  }
}

macro_rules! os_capabilities {
    (
        $(
            $(#[$attr:meta])*
            $error_name:ident: $objc_call:literal,
            $name:ident: $major:literal-$minor:literal
        ),*
        $(,)*
    ) => {
        #[derive(Clone, Debug)]
        pub struct OSCapabilities {
            $(
                pub $name: bool,
            )*

            os_version: NSOperatingSystemVersion,
        }

        impl From<NSOperatingSystemVersion> for OSCapabilities {
            fn from(os_version: NSOperatingSystemVersion) -> OSCapabilities {
                $(let $name = os_version.meets_requirements($major, $minor);)*
                OSCapabilities { $($name,)* os_version, }
            }
        }

        impl OSCapabilities {$(
            $(#[$attr])*
            pub fn $error_name(&self, extra_msg: &str) {
                log::warn!(
                    concat!("`", $objc_call, "` requires iOS {}.{}+. This device is running iOS {}.{}.{}. {}"),
                    $major, $minor, self.os_version.major, self.os_version.minor, self.os_version.patch,
                    extra_msg
                )
            }
        )*}
    };
}

os_capabilities! {
    /// https://developer.apple.com/documentation/uikit/uiview/2891103-safeareainsets?language=objc
    #[allow(unused)] // error message unused
    safe_area_err_msg: "-[UIView safeAreaInsets]",
    safe_area: 11-0,
    /// https://developer.apple.com/documentation/uikit/uiviewcontroller/2887509-setneedsupdateofhomeindicatoraut?language=objc
    home_indicator_hidden_err_msg: "-[UIViewController setNeedsUpdateOfHomeIndicatorAutoHidden]",
    home_indicator_hidden: 11-0,
    /// https://developer.apple.com/documentation/uikit/uiviewcontroller/2887507-setneedsupdateofscreenedgesdefer?language=objc
    defer_system_gestures_err_msg: "-[UIViewController setNeedsUpdateOfScreenEdgesDeferringSystem]",
    defer_system_gestures: 11-0,
    /// https://developer.apple.com/documentation/uikit/uiscreen/2806814-maximumframespersecond?language=objc
    maximum_frames_per_second_err_msg: "-[UIScreen maximumFramesPerSecond]",
    maximum_frames_per_second: 10-3,
    /// https://developer.apple.com/documentation/uikit/uitouch/1618110-force?language=objc
    #[allow(unused)] // error message unused
    force_touch_err_msg: "-[UITouch force]",
    force_touch: 9-0,
}

impl NSOperatingSystemVersion {
  fn meets_requirements(&self, required_major: NSInteger, required_minor: NSInteger) -> bool {
    (self.major, self.minor) >= (required_major, required_minor)
  }
}

pub fn os_capabilities() -> OSCapabilities {
  use std::sync::LazyLock;
  static OS_CAPABILITIES: LazyLock<OSCapabilities> = LazyLock::new(|| {
    let version: NSOperatingSystemVersion = unsafe {
      let process_info = objc2_foundation::NSProcessInfo::processInfo();
      let atleast_ios_8 = process_info.respondsToSelector(sel!(operatingSystemVersion));
      // tao requires atleast iOS 8 because no one has put the time into supporting earlier os versions.
      // Older iOS versions are increasingly difficult to test. For example, Xcode 11 does not support
      // debugging on devices with an iOS version of less than 8. Another example, in order to use an iOS
      // simulator older than iOS 8, you must download an older version of Xcode (<9), and at least Xcode 7
      // has been tested to not even run on macOS 10.15 - Xcode 8 might?
      //
      // The minimum required iOS version is likely to grow in the future.
      assert!(atleast_ios_8, "`tao` requires iOS version 8 or greater");
      let version = process_info.operatingSystemVersion();
      NSOperatingSystemVersion {
        major: version.majorVersion,
        minor: version.minorVersion,
        patch: version.patchVersion,
      }
    };
    version.into()
  });
  OS_CAPABILITIES.clone()
}
